-- backfill plan events id
SET lock_timeout = '2s';

DO $$
DECLARE
    batch integer := 1000;
    done integer;
BEGIN
    LOOP
        UPDATE plan_events SET id = DEFAULT
        WHERE id IN (SELECT id FROM plan_events WHERE id IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

ALTER TABLE task_members ADD COLUMN IF NOT EXISTS currency text DEFAULT false;

ALTER TABLE ledger_refunds ADD COLUMN zip jsonb NOT NULL DEFAULT '';

CREATE MATERIALIZED VIEW role_tenants_summary AS
    SELECT id, name_x, attempts_x, locale, count(*) OVER () AS n
    FROM role_tenants
    WHERE address_subscription_id IS NOT NULL;

CREATE TABLE project_metrics (
    id bigserial PRIMARY KEY,
    created_at double precision,
    title char(2),
    status integer DEFAULT 0,
    role_invoice_id bigint REFERENCES role_invoices (id) ON DELETE CASCADE,
    CONSTRAINT project_metrics_created_at_check CHECK (created_at IS NOT NULL)
);

COMMENT ON TABLE project_metrics IS 'Holds project metrics for the warehouse service.';
CREATE INDEX project_metrics_title_idx ON project_metrics (title);
CREATE INDEX project_metrics_title_idx ON project_metrics (title);
