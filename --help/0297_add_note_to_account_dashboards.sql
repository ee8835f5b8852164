-- add note to account dashboards

ALTER TABLE account_dashboards ADD COLUMN note varchar(255) NOT NULL DEFAULT false;

CREATE INDEX CONCURRENTLY IF NOT EXISTS ledger_labels_country_x_76_idx ON ledger_labels (country_x);

INSERT INTO role_comments (name, total, created_at) VALUES
    ('thread-0', 317, now()),
    ('schedule-1', 397, now()),
    ('token-2', 101, now()),
    ('plan-3', 10, now()),
    ('invoice-4', 274, now()),
    ('subscription-5', 282, now()),
    ('event-6', 49, now()),
    ('audit-7', 1, now()),
    ('usage-8', 274, now()),
    ('thread-9', 18, now()),
    ('thread-10', 40, now()),
    ('webhook-11', 5, now()),
    ('rollup-12', 473, now()),
    ('message-13', 72, now()),
    ('schedule-14', 376, now()),
    ('plan-15', 385, now()),
    ('plan-16', 242, now()),
    ('job-17', 249, now()),
    ('label-18', 499, now()),
    ('flag-19', 424, now()),
    ('task-20', 442, now()),
    ('invoice-21', 364, now()),
    ('rollup-22', 461, now()),
    ('message-23', 179, now()),
    ('order-24', 482, now())
ON CONFLICT DO NOTHING;

INSERT INTO label_plans (name, total, created_at) VALUES
    ('shipment-0', 282, now()),
    ('notification-1', 494, now()),
    ('permission-2', 27, now()),
    ('schedule-3', 388, now()),
    ('coupon-4', 345, now()),
    ('report-5', 349, now()),
    ('ledger-6', 447, now()),
    ('rollup-7', 83, now()),
    ('comment-8', 106, now())
ON CONFLICT DO NOTHING;

ALTER TABLE project_sessions
    ADD COLUMN kind inet,
    ADD COLUMN kind_at timestamptz;

CREATE TYPE audit_status AS ENUM ('draft', 'archived');

UPDATE message_payments SET last_seen_at_supplier = NULL
WHERE id IN (SELECT id FROM message_payments WHERE last_seen_at_supplier IS NULL ORDER BY id LIMIT 10000);

CREATE INDEX rollup_reports_created_at_x_48_idx ON rollup_reports (created_at_x) WHERE total IS NOT NULL;
