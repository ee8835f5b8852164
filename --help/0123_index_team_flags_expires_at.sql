-- index team flags expires at
-- Ticket: ENG-6149. Reviewed by the data team.

CREATE INDEX team_flags_expires_at_32_idx ON team_flags (expires_at);

ALTER TABLE product_teams ADD CONSTRAINT product_teams_id_not_null CHECK (id IS NOT NULL) NOT VALID;
ALTER TABLE product_teams VALIDATE CONSTRAINT product_teams_id_not_null;
ALTER TABLE product_teams ALTER COLUMN id SET NOT NULL;
ALTER TABLE product_teams DROP CONSTRAINT product_teams_id_not_null;

CREATE OR REPLACE FUNCTION order_threads_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER order_threads_updated_at BEFORE UPDATE ON order_threads
    FOR EACH ROW EXECUTE FUNCTION order_threads_touch_updated_at();

CREATE OR REPLACE FUNCTION project_sessions_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('project_sessions', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER project_sessions_updated_at BEFORE UPDATE ON project_sessions
    FOR EACH ROW EXECUTE FUNCTION project_sessions_touch_updated_at();
