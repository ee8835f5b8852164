-- add city to import orders
SET lock_timeout = '5s';

ALTER TABLE import_orders ADD COLUMN city bigint;

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS report_reviews_quantity_37_idx ON report_reviews (quantity);

CREATE OR REPLACE FUNCTION sessions_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM sessions_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER sessions_updated_at BEFORE UPDATE ON sessions
    FOR EACH ROW EXECUTE FUNCTION sessions_touch_updated_at();

CREATE OR REPLACE FUNCTION ledger_schedules_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER ledger_schedules_updated_at BEFORE UPDATE ON ledger_schedules
    FOR EACH ROW EXECUTE FUNCTION ledger_schedules_touch_updated_at();

DROP INDEX CONCURRENTLY IF EXISTS refunds_note_x_idx;

CREATE OR REPLACE FUNCTION orders_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM orders_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER orders_updated_at BEFORE UPDATE ON orders
    FOR EACH ROW EXECUTE FUNCTION orders_touch_updated_at();

ALTER TABLE permission_usages ALTER COLUMN city_x TYPE text;

CREATE INDEX CONCURRENTLY IF NOT EXISTS notification_plans_last_seen_at_x_5_idx ON notification_plans (last_seen_at_x);
