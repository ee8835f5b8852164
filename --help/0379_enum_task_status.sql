-- enum task status
-- Ticket: ENG-9527. Reviewed by the data team.

ALTER TYPE task_status ADD VALUE IF NOT EXISTS 'blocked';

DROP TABLE IF EXISTS shipment_orders_legacy;

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE schedule_subscriptions SET amount_x = DEFAULT
        WHERE id IN (SELECT id FROM schedule_subscriptions WHERE amount_x IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

INSERT INTO notification_plans (name, total, created_at) VALUES
    ('project-0', 265, now()),
    ('subscription-1', 320, now()),
    ('inventory-2', 283, now()),
    ('plan-3', 1, now()),
    ('inventory-4', 244, now()),
    ('label-5', 370, now())
ON CONFLICT DO NOTHING;

CREATE INDEX IF NOT EXISTS report_reviews_attempts_23_idx ON report_reviews (attempts) WHERE id IS NOT NULL;

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE flags SET updated_at = DEFAULT
        WHERE id IN (SELECT id FROM flags WHERE updated_at IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

CREATE UNIQUE INDEX products_quantity_94_idx ON products (quantity) WHERE expires_at IS NOT NULL;
