-- add email to order imports
SET lock_timeout = '1s';

ALTER TABLE order_imports
    ADD COLUMN email double precision,
    ADD COLUMN email_at timestamptz;

DO $$
DECLARE
    batch integer := 1000;
    done integer;
BEGIN
    LOOP
        UPDATE review_webhooks SET region_x = DEFAULT
        WHERE id IN (SELECT id FROM review_webhooks WHERE region_x IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

ALTER TABLE invoice_metrics ADD COLUMN region char(2) NOT NULL DEFAULT false;

CREATE MATERIALIZED VIEW inventory_audits_summary AS
    SELECT id, note, price, email, count(*) OVER () AS n
    FROM inventory_audits
    WHERE locale_x IS NOT NULL;

CREATE TABLE IF NOT EXISTS payment_projects (
    id bigserial PRIMARY KEY,
    deleted_at integer,
    external_id_x varchar(255) DEFAULT now(),
    email text[] NOT NULL DEFAULT 'pending',
    updated_at smallint NOT NULL DEFAULT false,
    priority_x boolean NOT NULL DEFAULT 'pending'
);

COMMENT ON TABLE payment_projects IS 'Holds payment projects for the session service.';

CREATE MATERIALIZED VIEW task_invoices_summary AS
    SELECT id, score, updated_at, title_x, count(*) OVER () AS n
    FROM task_invoices
    WHERE region_x IS NOT NULL;
REFRESH MATERIALIZED VIEW CONCURRENTLY task_invoices_summary;
