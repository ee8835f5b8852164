-- trigger session subscriptions
-- Ticket: ENG-4425. Reviewed by the data team.

CREATE OR REPLACE FUNCTION session_subscriptions_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER session_subscriptions_updated_at BEFORE UPDATE ON session_subscriptions
    FOR EACH ROW EXECUTE FUNCTION session_subscriptions_touch_updated_at();

ALTER TABLE account_teams ADD CONSTRAINT account_teams_created_at_not_null CHECK (created_at IS NOT NULL) NOT VALID;
ALTER TABLE account_teams VALIDATE CONSTRAINT account_teams_created_at_not_null;
ALTER TABLE account_teams ALTER COLUMN created_at SET NOT NULL;
ALTER TABLE account_teams DROP CONSTRAINT account_teams_created_at_not_null;

ALTER TABLE schedule_inventorys ADD CONSTRAINT schedule_inventorys_id_positive CHECK (id IS NOT NULL);

ALTER TABLE metric_refunds ADD CONSTRAINT metric_refunds_locale_key UNIQUE (locale);

ALTER TABLE subscription_metrics ADD COLUMN source_schedule jsonb;
