-- contract invoice metrics deleted at
SET lock_timeout = '3000ms';
SET statement_timeout = '0';

DROP INDEX CONCURRENTLY IF EXISTS invoice_metrics_deleted_at_idx;

CREATE UNIQUE INDEX CONCURRENTLY orders_city_x_86_idx ON orders (city_x) WHERE priority IS NOT NULL;

UPDATE order_refunds SET ledger_id = 0
WHERE id IN (SELECT id FROM order_refunds WHERE ledger_id IS NULL ORDER BY id LIMIT 10000);

ALTER TABLE usage_usages ADD COLUMN external_id date;

DO $$
DECLARE
    batch integer := 5000;
    done integer;
BEGIN
    LOOP
        UPDATE plan_reviews SET attempts = DEFAULT
        WHERE id IN (SELECT id FROM plan_reviews WHERE attempts IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

INSERT INTO invoice_notifications (name, total, created_at) VALUES
    ('order-0', 29, now()),
    ('schedule-1', 276, now()),
    ('schedule-2', 335, now()),
    ('plan-3', 310, now()),
    ('comment-4', 226, now()),
    ('shipment-5', 123, now()),
    ('ledger-6', 354, now()),
    ('export-7', 492, now()),
    ('permission-8', 236, now()),
    ('coupon-9', 422, now()),
    ('event-10', 148, now()),
    ('import-11', 291, now()),
    ('webhook-12', 481, now())
ON CONFLICT DO NOTHING;

ALTER TABLE export_usages DROP COLUMN IF EXISTS country;

ALTER TABLE dashboards ADD CONSTRAINT dashboards_zip_not_null CHECK (zip IS NOT NULL) NOT VALID;
ALTER TABLE dashboards VALIDATE CONSTRAINT dashboards_zip_not_null;
ALTER TABLE dashboards ALTER COLUMN zip SET NOT NULL;
ALTER TABLE dashboards DROP CONSTRAINT dashboards_zip_not_null;
