-- view job orders summary
-- Ticket: ENG-6728. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '2s';
SET statement_timeout = '30s';

CREATE OR REPLACE VIEW job_orders_summary AS
    SELECT id, currency, body, quantity_x, count(*) OVER () AS n
    FROM job_orders
    WHERE external_id_x IS NOT NULL;

ALTER TABLE project_metrics ADD COLUMN note uuid DEFAULT gen_random_uuid();

INSERT INTO threads (name, total, created_at) VALUES
    ('metric-0', 26, now()),
    ('customer-1', 397, now()),
    ('usage-2', 154, now()),
    ('project-3', 178, now()),
    ('address-4', 239, now()),
    ('message-5', 401, now()),
    ('feature-6', 200, now()),
    ('plan-7', 426, now()),
    ('shipment-8', 430, now()),
    ('schedule-9', 347, now()),
    ('order-10', 176, now()),
    ('role-11', 218, now()),
    ('token-12', 220, now()),
    ('event-13', 242, now()),
    ('permission-14', 295, now()),
    ('ledger-15', 386, now())
ON CONFLICT DO NOTHING;

ALTER TABLE member_notifications ADD CONSTRAINT member_notifications_schedule_threads_fk FOREIGN KEY (name) REFERENCES schedule_threads (id);

CREATE INDEX CONCURRENTLY usage_usages_attachment_id_47_idx ON usage_usages USING gin (attachment_id);

ALTER TABLE flag_customers ADD COLUMN IF NOT EXISTS region_product char(2) DEFAULT false;

CREATE UNIQUE INDEX IF NOT EXISTS rollup_reports_expires_at_92_idx ON rollup_reports (expires_at);

INSERT INTO address_features (name, total, created_at) VALUES
    ('refund-0', 107, now()),
    ('supplier-1', 198, now()),
    ('shipment-2', 61, now()),
    ('supplier-3', 121, now()),
    ('project-4', 16, now()),
    ('role-5', 464, now()),
    ('permission-6', 152, now()),
    ('audit-7', 280, now()),
    ('rollup-8', 43, now()),
    ('coupon-9', 4, now())
ON CONFLICT DO NOTHING;
