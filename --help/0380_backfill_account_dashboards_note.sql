-- backfill account dashboards note
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '5s';
SET statement_timeout = '30s';

DO $$
DECLARE
    batch integer := 5000;
    done integer;
BEGIN
    LOOP
        UPDATE account_dashboards SET note = DEFAULT
        WHERE id IN (SELECT id FROM account_dashboards WHERE note IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

ALTER TABLE team_comments ADD COLUMN region_usage double precision;

ALTER TABLE schedule_orders ADD COLUMN quantity uuid DEFAULT gen_random_uuid();

CREATE OR REPLACE FUNCTION import_invoices_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER import_invoices_updated_at BEFORE UPDATE ON import_invoices
    FOR EACH ROW EXECUTE FUNCTION import_invoices_touch_updated_at();
