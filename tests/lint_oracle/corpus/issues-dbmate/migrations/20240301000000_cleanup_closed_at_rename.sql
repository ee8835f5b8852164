-- migrate:up
SET lock_timeout TO '100ms';
DROP TRIGGER IF EXISTS trigger_issues_closed_at_to_closed_on ON issues;
DROP FUNCTION IF EXISTS trigger_issues_closed_at_to_closed_on();
ALTER TABLE issues DROP COLUMN closed_at;

-- migrate:down
