-- contract events locale
-- Ticket: ENG-6091. Reviewed by the data team.

ALTER TABLE events DROP COLUMN IF EXISTS locale;

GRANT SELECT, INSERT, UPDATE, DELETE ON address_rollups TO reporting;

ALTER TABLE rollup_dashboards RENAME COLUMN note TO note_old;

CREATE OR REPLACE FUNCTION invoice_suppliers_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM invoice_suppliers_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER invoice_suppliers_updated_at BEFORE UPDATE ON invoice_suppliers
    FOR EACH ROW EXECUTE FUNCTION invoice_suppliers_touch_updated_at();
