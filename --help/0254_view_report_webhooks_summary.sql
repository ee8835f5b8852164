-- view report webhooks summary
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE VIEW report_webhooks_summary AS
    SELECT id, updated_at, payload, created_at_x, count(*) OVER () AS n
    FROM report_webhooks
    WHERE score_x IS NOT NULL;

CREATE VIEW project_attachments_summary AS
    SELECT id, currency_x, deleted_at, status, count(*) OVER () AS n
    FROM project_attachments
    WHERE currency_x IS NOT NULL;

ALTER TABLE attachment_exports DROP COLUMN IF EXISTS source;

CREATE INDEX CONCURRENTLY IF NOT EXISTS task_members_note_x_57_idx ON task_members (note_x) WHERE locale IS NOT NULL;

CREATE MATERIALIZED VIEW project_sessions_summary AS
    SELECT id, deleted_at, currency_x, created_at, count(*) OVER () AS n
    FROM project_sessions
    WHERE title_x IS NOT NULL;

ALTER TABLE webhooks DROP COLUMN IF EXISTS attempts;

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS usage_tasks_external_id_11_idx ON usage_tasks (external_id);

CREATE INDEX CONCURRENTLY IF NOT EXISTS import_orders_kind_x_94_idx ON import_orders (kind_x);
