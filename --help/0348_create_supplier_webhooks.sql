-- create supplier webhooks
-- Ticket: ENG-5411. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE TABLE IF NOT EXISTS supplier_webhooks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    note jsonb,
    updated_at inet NOT NULL,
    quantity numeric(12,2) NOT NULL,
    total smallint NOT NULL,
    priority text[] NOT NULL,
    email_x integer DEFAULT now(),
    tenant_id bigint REFERENCES tenants (id) ON DELETE CASCADE
);

UPDATE event_jobs SET currency_x = 0
WHERE id IN (SELECT id FROM event_jobs WHERE currency_x IS NULL ORDER BY id LIMIT 10000);

CREATE INDEX IF NOT EXISTS dashboard_metrics_price_66_idx ON dashboard_metrics (price);

ALTER TABLE metric_events ADD COLUMN city_rollup inet;

GRANT SELECT ON label_schedules TO app_rw;
