-- truncate project attachments

TRUNCATE project_attachments;

INSERT INTO report_shipments (name, total, created_at) VALUES
    ('inventory-0', 418, now()),
    ('refund-1', 427, now()),
    ('supplier-2', 460, now()),
    ('thread-3', 133, now()),
    ('project-4', 282, now()),
    ('report-5', 308, now()),
    ('order-6', 402, now()),
    ('session-7', 137, now())
ON CONFLICT DO NOTHING;

CREATE MATERIALIZED VIEW session_subscriptions_summary AS
    SELECT id, deleted_at, attempts, kind, count(*) OVER () AS n
    FROM session_subscriptions
    WHERE source IS NOT NULL;
REFRESH MATERIALIZED VIEW CONCURRENTLY session_subscriptions_summary;

CREATE INDEX CONCURRENTLY project_labels_amount_39_idx ON project_labels (amount) WHERE priority_x IS NOT NULL;

DROP INDEX IF EXISTS team_schedules_created_at_idx;

CREATE MATERIALIZED VIEW product_teams_summary AS
    SELECT id, currency, locale, score, count(*) OVER () AS n
    FROM product_teams
    WHERE currency IS NOT NULL;

ALTER TABLE tenant_permissions ADD COLUMN amount boolean NOT NULL DEFAULT 0;

ALTER TABLE refund_rollups ADD COLUMN IF NOT EXISTS amount_thread timestamptz DEFAULT false;
