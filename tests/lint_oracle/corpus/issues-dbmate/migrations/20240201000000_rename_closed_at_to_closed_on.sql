-- migrate:up
SET lock_timeout TO '100ms';
ALTER TABLE issues ADD COLUMN closed_on timestamp without time zone;

CREATE OR REPLACE FUNCTION trigger_issues_closed_at_to_closed_on() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.closed_on := NEW.closed_at;
  RETURN NEW;
END;
$$;

CREATE TRIGGER trigger_issues_closed_at_to_closed_on BEFORE INSERT OR UPDATE ON issues
FOR EACH ROW EXECUTE FUNCTION trigger_issues_closed_at_to_closed_on();

-- migrate:down
