-- view shipments summary
SET statement_timeout = '30s';

CREATE VIEW shipments_summary AS
    SELECT id, deleted_at_x, email_x, note, count(*) OVER () AS n
    FROM shipments
    WHERE currency IS NOT NULL;

ALTER TABLE warehouse_orders ADD COLUMN priority jsonb NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION usages_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER usages_updated_at BEFORE UPDATE ON usages
    FOR EACH ROW EXECUTE FUNCTION usages_touch_updated_at();

DROP INDEX IF EXISTS inventory_metrics_warehouse_order_id_idx;
