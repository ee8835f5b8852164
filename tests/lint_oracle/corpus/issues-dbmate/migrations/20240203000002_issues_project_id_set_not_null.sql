-- migrate:up
SET lock_timeout TO '100ms';
ALTER TABLE issues ALTER COLUMN project_id SET NOT NULL;
ALTER TABLE issues DROP CONSTRAINT check_issues_project_id_not_null;

-- migrate:down
