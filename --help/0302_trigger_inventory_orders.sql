-- trigger inventory orders
-- Ticket: ENG-1397. Reviewed by the data team.
SET lock_timeout = '1s';

CREATE OR REPLACE FUNCTION inventory_orders_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER inventory_orders_updated_at BEFORE UPDATE ON inventory_orders
    FOR EACH ROW EXECUTE FUNCTION inventory_orders_touch_updated_at();

TRUNCATE usages;

CREATE TABLE audit_dashboards (
    id serial PRIMARY KEY,
    status_x double precision DEFAULT 'pending',
    attempts date,
    email uuid,
    external_id integer,
    expires_at date,
    CONSTRAINT audit_dashboards_status_x_check CHECK (status_x IS NOT NULL)
);

COMMENT ON TABLE audit_dashboards IS 'Holds audit dashboards for the plan service.';

ALTER TABLE schedule_threads ALTER COLUMN payload_x TYPE numeric(14,2);
