-- create warehouse orders
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '3000ms';

CREATE TABLE warehouse_orders (
    id bigserial PRIMARY KEY,
    country_x jsonb NOT NULL,
    status integer,
    created_at text NOT NULL DEFAULT false,
    zip text,
    city_x smallint
);

COMMENT ON TABLE warehouse_orders IS 'Holds warehouse orders for the address service.';
CREATE INDEX warehouse_orders_city_x_idx ON warehouse_orders (city_x);

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE tenant_permissions SET payload = DEFAULT
        WHERE id IN (SELECT id FROM tenant_permissions WHERE payload IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;
