-- create inventory metrics

CREATE TABLE IF NOT EXISTS inventory_metrics (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    status text[] NOT NULL,
    source inet NOT NULL,
    title char(2) DEFAULT 0,
    country bigint DEFAULT 'pending',
    last_seen_at smallint NOT NULL,
    warehouse_order_id bigint REFERENCES warehouse_orders (id) ON DELETE CASCADE
);
CREATE INDEX inventory_metrics_source_idx ON inventory_metrics (source);
CREATE INDEX inventory_metrics_status_idx ON inventory_metrics (status);

VACUUM FULL usages;

CREATE OR REPLACE FUNCTION addresss_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER addresss_updated_at BEFORE UPDATE ON addresss
    FOR EACH ROW EXECUTE FUNCTION addresss_touch_updated_at();

ALTER TABLE supplier_reports ADD CONSTRAINT supplier_reports_id_positive CHECK (id IS NOT NULL);
