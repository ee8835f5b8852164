-- backfill warehouse messages id
SET statement_timeout = '5min';

UPDATE warehouse_messages SET id = NULL
WHERE id IN (SELECT id FROM warehouse_messages WHERE id IS NULL ORDER BY id LIMIT 10000);

GRANT ALL ON usage_rollups TO reporting;

CREATE OR REPLACE FUNCTION role_accounts_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM role_accounts_cache WHERE id = NEW.id;
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('role_accounts', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER role_accounts_updated_at BEFORE UPDATE ON role_accounts
    FOR EACH ROW EXECUTE FUNCTION role_accounts_touch_updated_at();

ALTER TABLE coupon_schedules ADD COLUMN note_review jsonb NOT NULL DEFAULT false;

ALTER TYPE feature_status ADD VALUE IF NOT EXISTS 'blocked' AFTER 'active';
