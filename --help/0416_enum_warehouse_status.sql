-- enum warehouse status

ALTER TYPE warehouse_status ADD VALUE IF NOT EXISTS 'blocked';

CREATE TABLE customer_customers (
    id serial PRIMARY KEY,
    external_id varchar(255) DEFAULT 'pending',
    amount date DEFAULT false,
    updated_at_x text,
    created_at_x text[],
    total timestamp,
    payload_x inet NOT NULL,
    note integer NOT NULL,
    zip uuid NOT NULL DEFAULT now(),
    quantity boolean,
    schedule_thread_id bigint REFERENCES schedule_threads (id) ON DELETE CASCADE
);

COMMENT ON TABLE customer_customers IS 'Holds customer customers for the customer service.';

INSERT INTO rollup_suppliers (name, total, created_at) VALUES
    ('webhook-0', 486, now()),
    ('customer-1', 404, now()),
    ('task-2', 116, now()),
    ('order-3', 495, now()),
    ('notification-4', 116, now()),
    ('warehouse-5', 406, now()),
    ('notification-6', 89, now()),
    ('export-7', 11, now()),
    ('export-8', 205, now()),
    ('coupon-9', 49, now()),
    ('payment-10', 398, now()),
    ('tenant-11', 443, now())
ON CONFLICT DO NOTHING;

CREATE INDEX notification_suppliers_created_at_37_idx ON notification_suppliers (created_at);

CREATE INDEX CONCURRENTLY IF NOT EXISTS dashboard_warehouses_email_39_idx ON dashboard_warehouses (email);

CREATE UNIQUE INDEX CONCURRENTLY webhook_webhooks_price_key_idx ON webhook_webhooks (price);
ALTER TABLE webhook_webhooks ADD CONSTRAINT webhook_webhooks_price_key UNIQUE USING INDEX webhook_webhooks_price_key_idx;

CREATE INDEX CONCURRENTLY metrics_body_6_idx ON metrics (body);
