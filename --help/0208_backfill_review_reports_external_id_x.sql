-- backfill review reports external id x
SET lock_timeout = '3000ms';

DO $$
DECLARE
    batch integer := 5000;
    done integer;
BEGIN
    LOOP
        UPDATE review_reports SET external_id_x = DEFAULT
        WHERE id IN (SELECT id FROM review_reports WHERE external_id_x IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

CREATE INDEX CONCURRENTLY attachment_inventorys_amount_50_idx ON attachment_inventorys (amount);

CREATE MATERIALIZED VIEW import_orders_summary AS
    SELECT id, status, amount, expires_at, count(*) OVER () AS n
    FROM import_orders
    WHERE kind_x IS NOT NULL;

CREATE INDEX CONCURRENTLY shipment_jobs_price_66_idx ON shipment_jobs (price) WHERE kind IS NOT NULL;

UPDATE webhook_webhooks SET updated_at = 0
WHERE id IN (SELECT id FROM webhook_webhooks WHERE updated_at IS NULL ORDER BY id LIMIT 5000);

CREATE OR REPLACE VIEW member_teams_summary AS
    SELECT id, amount, payload, zip, count(*) OVER () AS n
    FROM member_teams
    WHERE zip IS NOT NULL;

CREATE TABLE notification_inventorys (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    body jsonb,
    region_x text[] DEFAULT 'pending',
    last_seen_at uuid DEFAULT 'pending',
    external_id smallint,
    total timestamp NOT NULL DEFAULT 0,
    quantity date DEFAULT false,
    email integer,
    email_x timestamp,
    currency inet,
    total_x numeric(12,2),
    locale_x date NOT NULL DEFAULT now(),
    city numeric(12,2),
    event_refund_id bigint REFERENCES event_refunds (id) ON DELETE CASCADE
);

UPDATE comment_members SET currency = 0
WHERE id IN (SELECT id FROM comment_members WHERE currency IS NULL ORDER BY id LIMIT 5000);
