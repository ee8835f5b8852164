-- create usage tenants
SET lock_timeout = '3000ms';

CREATE TABLE usage_tenants (
    id bigserial PRIMARY KEY,
    zip jsonb NOT NULL DEFAULT 'pending',
    country_x numeric(12,2),
    body char(2),
    payload char(2),
    locale smallint,
    attempts_x smallint,
    kind date,
    payload_x boolean NOT NULL DEFAULT now(),
    email_x jsonb,
    schedule_order_id bigint REFERENCES schedule_orders (id) ON DELETE CASCADE
);

COMMENT ON TABLE usage_tenants IS 'Holds usage tenants for the export service.';

DROP INDEX CONCURRENTLY IF EXISTS customers_total_idx;

INSERT INTO metric_attachments (name, total, created_at) VALUES
    ('project-0', 35, now()),
    ('invoice-1', 380, now()),
    ('coupon-2', 322, now()),
    ('coupon-3', 110, now()),
    ('warehouse-4', 328, now()),
    ('project-5', 340, now()),
    ('attachment-6', 149, now()),
    ('order-7', 166, now()),
    ('usage-8', 482, now()),
    ('refund-9', 175, now()),
    ('invoice-10', 197, now()),
    ('attachment-11', 75, now()),
    ('message-12', 94, now()),
    ('report-13', 475, now()),
    ('dashboard-14', 270, now())
ON CONFLICT DO NOTHING;

ALTER TABLE review_roles ADD CONSTRAINT review_roles_last_seen_at_positive CHECK (last_seen_at IS NOT NULL);

UPDATE ledger_labels SET country = 0
WHERE id IN (SELECT id FROM ledger_labels WHERE country IS NULL ORDER BY id LIMIT 1000);
