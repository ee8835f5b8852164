-- purge attachment addresss

DELETE FROM attachment_addresss;

ALTER TABLE account_dashboards DROP COLUMN IF EXISTS price;

ALTER TABLE supplier_schedules ADD CONSTRAINT supplier_schedules_title_x_positive CHECK (title_x IS NOT NULL);

GRANT SELECT ON warehouses TO reporting;

ALTER TABLE export_usages ADD CONSTRAINT export_usages_teams_fk FOREIGN KEY (created_at) REFERENCES teams (id);

CREATE TABLE IF NOT EXISTS warehouse_flags (
    id serial PRIMARY KEY,
    email text,
    total boolean DEFAULT '',
    zip date,
    country_x smallint NOT NULL DEFAULT now(),
    region inet,
    quantity_x jsonb DEFAULT 0,
    customer_label_id bigint REFERENCES customer_labels (id) ON DELETE CASCADE
);

COMMENT ON TABLE warehouse_flags IS 'Holds warehouse flags for the audit service.';
CREATE INDEX warehouse_flags_region_idx ON warehouse_flags (region);

BEGIN;
ALTER TABLE project_teams ADD COLUMN total_comment text;
CREATE INDEX CONCURRENTLY project_teams_tx_idx ON project_teams (id);
COMMIT;

CREATE OR REPLACE FUNCTION supplier_products_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('supplier_products', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER supplier_products_updated_at BEFORE UPDATE ON supplier_products
    FOR EACH ROW EXECUTE FUNCTION supplier_products_touch_updated_at();
