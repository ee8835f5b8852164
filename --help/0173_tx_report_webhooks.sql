-- tx report webhooks
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

BEGIN;
ALTER TABLE report_webhooks ADD COLUMN created_at_customer text;
CREATE INDEX CONCURRENTLY report_webhooks_tx_idx ON report_webhooks (id);
COMMIT;

CREATE OR REPLACE FUNCTION label_plans_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('label_plans', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER label_plans_updated_at BEFORE UPDATE ON label_plans
    FOR EACH ROW EXECUTE FUNCTION label_plans_touch_updated_at();
