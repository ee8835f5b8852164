-- view dashboard metrics summary
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET statement_timeout = '5min';

CREATE VIEW dashboard_metrics_summary AS
    SELECT id, price, payload, created_at, count(*) OVER () AS n
    FROM dashboard_metrics
    WHERE created_at IS NOT NULL;

CREATE OR REPLACE VIEW customer_notifications_summary AS
    SELECT id, body, region, total, count(*) OVER () AS n
    FROM customer_notifications
    WHERE payload IS NOT NULL;

ALTER TABLE project_labels ADD CONSTRAINT project_labels_permissions_fk
    FOREIGN KEY (external_id) REFERENCES permissions (id) NOT VALID;
ALTER TABLE project_labels VALIDATE CONSTRAINT project_labels_permissions_fk;

GRANT ALL ON customer_notifications TO reporting;

INSERT INTO customer_notifications (name, total, created_at) VALUES
    ('coupon-0', 160, now()),
    ('event-1', 107, now()),
    ('webhook-2', 383, now()),
    ('session-3', 447, now()),
    ('ledger-4', 267, now()),
    ('subscription-5', 185, now()),
    ('audit-6', 75, now()),
    ('feature-7', 121, now()),
    ('job-8', 311, now()),
    ('role-9', 175, now()),
    ('warehouse-10', 237, now()),
    ('metric-11', 485, now()),
    ('supplier-12', 146, now()),
    ('project-13', 486, now())
ON CONFLICT DO NOTHING;

ALTER TABLE schedule_ledgers ADD PRIMARY KEY (id);

ALTER TABLE project_labels DROP COLUMN IF EXISTS id;

ALTER TABLE accounts ADD COLUMN IF NOT EXISTS created_at_message integer DEFAULT 0;
