-- migrate:up
SET statement_timeout TO '15min';
ALTER TABLE timelogs VALIDATE CONSTRAINT fk_timelogs_issues_issue_id;

-- migrate:down
