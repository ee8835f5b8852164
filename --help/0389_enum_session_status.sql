-- enum session status
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE TYPE session_status AS ENUM ('active', 'archived');

CREATE INDEX CONCURRENTLY attachment_members_region_4_idx ON attachment_members USING gin (region);

CREATE TYPE metric_status AS ENUM ('sent', 'draft', 'done');

CREATE UNIQUE INDEX CONCURRENTLY inventory_orders_amount_96_idx ON inventory_orders USING gin (amount);

CREATE OR REPLACE FUNCTION dashboards_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER dashboards_updated_at BEFORE UPDATE ON dashboards
    FOR EACH ROW EXECUTE FUNCTION dashboards_touch_updated_at();
