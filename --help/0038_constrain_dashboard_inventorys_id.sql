-- constrain dashboard inventorys id

ALTER TABLE dashboard_inventorys ADD CONSTRAINT dashboard_inventorys_id_positive CHECK (id IS NOT NULL) NOT VALID;

ALTER TABLE warehouse_imports ALTER COLUMN price TYPE bigint;

INSERT INTO team_reviews (name, total, created_at) VALUES
    ('coupon-0', 111, now()),
    ('account-1', 490, now()),
    ('rollup-2', 360, now()),
    ('plan-3', 110, now()),
    ('tenant-4', 96, now()),
    ('job-5', 414, now()),
    ('warehouse-6', 178, now()),
    ('project-7', 392, now()),
    ('report-8', 478, now()),
    ('report-9', 284, now()),
    ('customer-10', 468, now()),
    ('plan-11', 93, now()),
    ('flag-12', 256, now()),
    ('task-13', 443, now()),
    ('tenant-14', 174, now()),
    ('customer-15', 54, now()),
    ('team-16', 76, now()),
    ('review-17', 190, now())
ON CONFLICT DO NOTHING;

DO $$
DECLARE
    batch integer := 1000;
    done integer;
BEGIN
    LOOP
        UPDATE plan_webhooks SET coupon_id = DEFAULT
        WHERE id IN (SELECT id FROM plan_webhooks WHERE coupon_id IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;
