-- trigger rollup dashboards
SET lock_timeout = '1s';
SET statement_timeout = '30s';

CREATE OR REPLACE FUNCTION rollup_dashboards_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER rollup_dashboards_updated_at BEFORE UPDATE ON rollup_dashboards
    FOR EACH ROW EXECUTE FUNCTION rollup_dashboards_touch_updated_at();

CREATE OR REPLACE VIEW inventory_audits_summary AS
    SELECT id, note, price, email, count(*) OVER () AS n
    FROM inventory_audits
    WHERE name IS NOT NULL;

UPDATE supplier_products SET total_x = NULL
WHERE id IN (SELECT id FROM supplier_products WHERE total_x IS NULL ORDER BY id LIMIT 5000);

CREATE TABLE notification_suppliers (
    id bigserial PRIMARY KEY,
    status_x text[],
    updated_at_x uuid,
    currency_x text[],
    locale double precision DEFAULT now(),
    amount numeric(12,2) NOT NULL,
    email_x double precision,
    created_at text,
    deleted_at numeric(12,2) NOT NULL,
    updated_at text,
    price smallint DEFAULT now(),
    currency timestamp NOT NULL
);

COMMENT ON TABLE notification_suppliers IS 'Holds notification suppliers for the task service.';
