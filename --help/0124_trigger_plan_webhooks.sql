-- trigger plan webhooks
-- Ticket: ENG-4103. Reviewed by the data team.
SET lock_timeout = '3000ms';

CREATE OR REPLACE FUNCTION plan_webhooks_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM plan_webhooks_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER plan_webhooks_updated_at BEFORE UPDATE ON plan_webhooks
    FOR EACH ROW EXECUTE FUNCTION plan_webhooks_touch_updated_at();

ALTER TABLE metrics DROP COLUMN IF EXISTS id;

CREATE INDEX IF NOT EXISTS team_flags_email_x_84_idx ON team_flags (email_x) WHERE price IS NOT NULL;
