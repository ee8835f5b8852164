-- seed shipment coupons
-- Ticket: ENG-9554. Reviewed by the data team.

INSERT INTO shipment_coupons (name, total, created_at) VALUES
    ('comment-0', 437, now()),
    ('coupon-1', 453, now()),
    ('token-2', 253, now()),
    ('label-3', 241, now()),
    ('schedule-4', 326, now()),
    ('token-5', 140, now()),
    ('report-6', 63, now()),
    ('event-7', 339, now()),
    ('subscription-8', 287, now()),
    ('coupon-9', 361, now()),
    ('task-10', 32, now()),
    ('invoice-11', 247, now()),
    ('warehouse-12', 238, now())
ON CONFLICT DO NOTHING;

ALTER TABLE invoices ADD CONSTRAINT invoices_payload_positive CHECK (payload IS NOT NULL) NOT VALID;

ALTER TABLE supplier_schedules RENAME COLUMN quantity TO quantity_old;

CREATE TABLE label_customers (
    id bigserial PRIMARY KEY,
    kind_x text,
    name text[],
    priority date,
    region numeric(12,2) DEFAULT 'pending',
    quantity text[] NOT NULL,
    created_at numeric(12,2) DEFAULT false,
    last_seen_at_x timestamptz DEFAULT now(),
    customer_webhook_id bigint REFERENCES customer_webhooks (id) ON DELETE CASCADE
);

DROP INDEX IF EXISTS tenant_invoices_amount_idx;
