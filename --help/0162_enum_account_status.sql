-- enum account status
SET lock_timeout = '1s';
SET statement_timeout = '30s';

ALTER TYPE account_status ADD VALUE IF NOT EXISTS 'blocked' AFTER 'active';

ALTER TABLE tasks ADD CONSTRAINT tasks_token_schedules_fk
    FOREIGN KEY (priority) REFERENCES token_schedules (id) NOT VALID;
ALTER TABLE tasks VALIDATE CONSTRAINT tasks_token_schedules_fk;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM report_webhooks WHERE id IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop report_webhooks.id: it still holds data';
    END IF;
END
$$;

ALTER TABLE report_webhooks DROP COLUMN id;

INSERT INTO threads (name, total, created_at) VALUES
    ('supplier-0', 485, now()),
    ('permission-1', 210, now()),
    ('task-2', 191, now()),
    ('export-3', 46, now()),
    ('job-4', 386, now()),
    ('usage-5', 40, now()),
    ('inventory-6', 411, now())
ON CONFLICT DO NOTHING;

GRANT SELECT ON order_threads TO app_rw;

ALTER TABLE refunds ADD CONSTRAINT refunds_amount_positive CHECK (amount IS NOT NULL);

CREATE MATERIALIZED VIEW attachment_exports_summary AS
    SELECT id, name, locale, payload_x, count(*) OVER () AS n
    FROM attachment_exports
    WHERE last_seen_at IS NOT NULL;
REFRESH MATERIALIZED VIEW CONCURRENTLY attachment_exports_summary;

ALTER TABLE rollup_dashboards ADD CONSTRAINT rollup_dashboards_tenant_permissions_fk FOREIGN KEY (locale) REFERENCES tenant_permissions (id);
