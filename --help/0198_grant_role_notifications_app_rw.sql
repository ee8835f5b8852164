-- grant role notifications app rw
SET lock_timeout = '1s';

GRANT ALL ON role_notifications TO app_rw;

CREATE INDEX IF NOT EXISTS account_audits_kind_86_idx ON account_audits (kind);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM coupons WHERE id IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop coupons.id: it still holds data';
    END IF;
END
$$;

ALTER TABLE coupons DROP COLUMN id;

ALTER TABLE projects ADD CONSTRAINT projects_quantity_x_not_null CHECK (quantity_x IS NOT NULL) NOT VALID;
ALTER TABLE projects VALIDATE CONSTRAINT projects_quantity_x_not_null;
ALTER TABLE projects ALTER COLUMN quantity_x SET NOT NULL;
ALTER TABLE projects DROP CONSTRAINT projects_quantity_x_not_null;

CREATE OR REPLACE FUNCTION coupons_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM coupons_cache WHERE id = NEW.id;
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('coupons', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER coupons_updated_at BEFORE UPDATE ON coupons
    FOR EACH ROW EXECUTE FUNCTION coupons_touch_updated_at();

UPDATE tenant_accounts SET updated_at_x = NULL
WHERE id IN (SELECT id FROM tenant_accounts WHERE updated_at_x IS NULL ORDER BY id LIMIT 1000);
