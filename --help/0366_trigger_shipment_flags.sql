-- trigger shipment flags
SET lock_timeout = '3000ms';

CREATE OR REPLACE FUNCTION shipment_flags_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('shipment_flags', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER shipment_flags_updated_at BEFORE UPDATE ON shipment_flags
    FOR EACH ROW EXECUTE FUNCTION shipment_flags_touch_updated_at();

CREATE TABLE warehouse_products (
    id bigserial PRIMARY KEY,
    country boolean,
    kind_x boolean DEFAULT '',
    created_at inet,
    deleted_at_x char(2),
    event_label_id bigint REFERENCES event_labels (id) ON DELETE CASCADE,
    CONSTRAINT warehouse_products_country_check CHECK (country IS NOT NULL)
);

COMMENT ON TABLE warehouse_products IS 'Holds warehouse products for the invoice service.';
CREATE INDEX warehouse_products_created_at_idx ON warehouse_products (created_at);
CREATE INDEX warehouse_products_deleted_at_x_idx ON warehouse_products (deleted_at_x);

ALTER TABLE usage_rollups DROP COLUMN IF EXISTS price;

CREATE TABLE job_plans (
    id bigserial PRIMARY KEY,
    attempts_x text,
    kind_x numeric(12,2) NOT NULL,
    price_x double precision NOT NULL DEFAULT 0,
    total text[],
    external_id boolean,
    flag_id bigint REFERENCES flags (id) ON DELETE CASCADE,
    CONSTRAINT job_plans_attempts_x_check CHECK (attempts_x IS NOT NULL)
);
CREATE INDEX job_plans_price_x_idx ON job_plans (price_x);
CREATE INDEX job_plans_attempts_x_idx ON job_plans (attempts_x);
