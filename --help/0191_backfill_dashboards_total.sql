-- backfill dashboards total
-- Ticket: ENG-5226. Reviewed by the data team.
SET lock_timeout = '3000ms';

DO $$
DECLARE
    batch integer := 1000;
    done integer;
BEGIN
    LOOP
        UPDATE dashboards SET total = DEFAULT
        WHERE id IN (SELECT id FROM dashboards WHERE total IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

ALTER TABLE events
    ADD COLUMN city timestamptz,
    ADD COLUMN city_at timestamptz;

ALTER TYPE coupon_status ADD VALUE IF NOT EXISTS 'blocked';

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE roles SET id = DEFAULT
        WHERE id IN (SELECT id FROM roles WHERE id IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

CREATE INDEX CONCURRENTLY invoice_suppliers_locale_x_58_idx ON invoice_suppliers (locale_x);

CREATE OR REPLACE FUNCTION thread_webhooks_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER thread_webhooks_updated_at BEFORE UPDATE ON thread_webhooks
    FOR EACH ROW EXECUTE FUNCTION thread_webhooks_touch_updated_at();

DROP INDEX CONCURRENTLY IF EXISTS plans_status_idx;
