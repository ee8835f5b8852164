-- migrate:up
SET lock_timeout TO '100ms';
ALTER TABLE timelogs ADD CONSTRAINT fk_timelogs_issues_issue_id
  FOREIGN KEY (issue_id) REFERENCES issues (id) ON DELETE CASCADE NOT VALID;

-- migrate:down
