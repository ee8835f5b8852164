-- seed review shipments
-- Ticket: ENG-6044. Reviewed by the data team.
SET lock_timeout = '2s';

INSERT INTO review_shipments (name, total, created_at) VALUES
    ('tenant-0', 217, now()),
    ('product-1', 289, now()),
    ('feature-2', 67, now()),
    ('thread-3', 409, now()),
    ('export-4', 428, now()),
    ('feature-5', 471, now()),
    ('webhook-6', 282, now()),
    ('shipment-7', 326, now()),
    ('schedule-8', 439, now()),
    ('product-9', 191, now()),
    ('thread-10', 164, now()),
    ('metric-11', 119, now()),
    ('project-12', 103, now()),
    ('label-13', 91, now()),
    ('permission-14', 134, now())
ON CONFLICT DO NOTHING;

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE review_shipments SET id = DEFAULT
        WHERE id IN (SELECT id FROM review_shipments WHERE id IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM project_attachments WHERE currency_x IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop project_attachments.currency_x: it still holds data';
    END IF;
END
$$;

ALTER TABLE project_attachments DROP COLUMN currency_x;
