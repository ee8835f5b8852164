-- migrate:up
SET lock_timeout TO '100ms';
ALTER TABLE issues ADD CONSTRAINT check_issues_project_id_not_null CHECK (project_id IS NOT NULL) NOT VALID;

-- migrate:down
