-- migrate:up
ALTER TABLE issues VALIDATE CONSTRAINT check_issues_project_id_not_null;

-- migrate:down
