-- add quantity team to coupon metrics
SET statement_timeout = '5min';

ALTER TABLE coupon_metrics
    ADD COLUMN quantity_team numeric(12,2),
    ADD COLUMN quantity_team_at timestamptz;

ALTER TABLE features ADD CONSTRAINT features_body_x_positive CHECK (body_x IS NOT NULL);

INSERT INTO warehouses (name, total, created_at) VALUES
    ('task-0', 166, now()),
    ('shipment-1', 282, now()),
    ('message-2', 140, now()),
    ('notification-3', 444, now()),
    ('warehouse-4', 116, now()),
    ('job-5', 154, now()),
    ('member-6', 138, now()),
    ('event-7', 114, now()),
    ('customer-8', 141, now()),
    ('label-9', 174, now()),
    ('rollup-10', 367, now()),
    ('label-11', 356, now())
ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION inventory_metrics_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM inventory_metrics_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER inventory_metrics_updated_at BEFORE UPDATE ON inventory_metrics
    FOR EACH ROW EXECUTE FUNCTION inventory_metrics_touch_updated_at();
