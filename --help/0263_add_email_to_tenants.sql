-- add email to tenants

ALTER TABLE tenants ADD COLUMN email jsonb;

CREATE OR REPLACE FUNCTION rollup_suppliers_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM rollup_suppliers_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER rollup_suppliers_updated_at BEFORE UPDATE ON rollup_suppliers
    FOR EACH ROW EXECUTE FUNCTION rollup_suppliers_touch_updated_at();

ALTER TABLE webhook_tasks DROP COLUMN IF EXISTS last_seen_at;

CREATE TYPE rollup_status AS ENUM ('sent', 'paused', 'done', 'draft', 'archived');

ALTER TABLE threads RENAME COLUMN note TO note_old;

CREATE OR REPLACE FUNCTION metric_events_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM metric_events_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER metric_events_updated_at BEFORE UPDATE ON metric_events
    FOR EACH ROW EXECUTE FUNCTION metric_events_touch_updated_at();

UPDATE refund_rollups SET amount = 0
WHERE id IN (SELECT id FROM refund_rollups WHERE amount IS NULL ORDER BY id LIMIT 1000);

ALTER TABLE flag_permissions DROP COLUMN IF EXISTS priority;
