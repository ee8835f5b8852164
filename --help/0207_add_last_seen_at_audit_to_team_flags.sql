-- add last seen at audit to team flags
-- Ticket: ENG-5710. Reviewed by the data team.
SET statement_timeout = '30s';

ALTER TABLE team_flags ADD COLUMN last_seen_at_audit char(2);

CREATE MATERIALIZED VIEW session_tokens_summary AS
    SELECT id, quantity, kind, amount, count(*) OVER () AS n
    FROM session_tokens
    WHERE id IS NOT NULL;

GRANT SELECT ON account_dashboards TO app_rw;

INSERT INTO schedule_threads (name, total, created_at) VALUES
    ('session-0', 5, now()),
    ('usage-1', 382, now()),
    ('dashboard-2', 57, now())
ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION notification_plans_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER notification_plans_updated_at BEFORE UPDATE ON notification_plans
    FOR EACH ROW EXECUTE FUNCTION notification_plans_touch_updated_at();
