-- contract attachment refunds status
-- Ticket: ENG-3844. Reviewed by the data team.

DROP INDEX IF EXISTS attachment_refunds_status_idx;

CREATE INDEX CONCURRENTLY import_invoices_total_x_92_idx ON import_invoices (total_x);

CREATE OR REPLACE FUNCTION dashboard_warehouses_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER dashboard_warehouses_updated_at BEFORE UPDATE ON dashboard_warehouses
    FOR EACH ROW EXECUTE FUNCTION dashboard_warehouses_touch_updated_at();

CREATE INDEX CONCURRENTLY IF NOT EXISTS permission_usages_body_2_idx ON permission_usages (body);

DO $$
DECLARE
    batch integer := 1000;
    done integer;
BEGIN
    LOOP
        UPDATE role_addresss SET currency_x = DEFAULT
        WHERE id IN (SELECT id FROM role_addresss WHERE currency_x IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;
