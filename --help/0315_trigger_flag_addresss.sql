-- trigger flag addresss
-- Ticket: ENG-1488. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '5s';

CREATE OR REPLACE FUNCTION flag_addresss_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM flag_addresss_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER flag_addresss_updated_at BEFORE UPDATE ON flag_addresss
    FOR EACH ROW EXECUTE FUNCTION flag_addresss_touch_updated_at();

ALTER TABLE permissions ADD COLUMN amount jsonb;

ALTER TABLE review_shipments ADD CONSTRAINT review_shipments_city_not_null CHECK (city IS NOT NULL) NOT VALID;
ALTER TABLE review_shipments VALIDATE CONSTRAINT review_shipments_city_not_null;
ALTER TABLE review_shipments ALTER COLUMN city SET NOT NULL;
ALTER TABLE review_shipments DROP CONSTRAINT review_shipments_city_not_null;

CREATE VIEW team_flags_summary AS
    SELECT id, expires_at, total, email_x, count(*) OVER () AS n
    FROM team_flags
    WHERE permission_id IS NOT NULL;

ALTER TABLE warehouse_imports
    ADD COLUMN status timestamp,
    ADD COLUMN status_at timestamptz;

CREATE TYPE refund_status AS ENUM ('active', 'paused', 'failed', 'sent');

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE invoice_suppliers SET ledger_coupon_id = DEFAULT
        WHERE id IN (SELECT id FROM invoice_suppliers WHERE ledger_coupon_id IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

ALTER TYPE message_status ADD VALUE IF NOT EXISTS 'blocked' AFTER 'active';
