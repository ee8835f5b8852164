-- create report messages
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET statement_timeout = '30s';

CREATE TABLE report_messages (
    id bigserial PRIMARY KEY,
    total_x text[],
    email timestamp DEFAULT now(),
    payload integer NOT NULL,
    subscription_order_id bigint REFERENCES subscription_orders (id) ON DELETE CASCADE
);

COMMENT ON TABLE report_messages IS 'Holds report messages for the product service.';
CREATE INDEX report_messages_subscription_order_id_idx ON report_messages (subscription_order_id);
CREATE INDEX report_messages_email_idx ON report_messages (email);

ALTER TABLE team_payments ADD COLUMN amount_role uuid DEFAULT gen_random_uuid();

DELETE FROM suppliers;

INSERT INTO role_comments (name, total, created_at) VALUES
    ('import-0', 485, now()),
    ('message-1', 428, now()),
    ('metric-2', 419, now()),
    ('token-3', 342, now()),
    ('order-4', 399, now()),
    ('refund-5', 489, now()),
    ('address-6', 380, now()),
    ('notification-7', 132, now()),
    ('customer-8', 19, now()),
    ('metric-9', 105, now()),
    ('order-10', 283, now()),
    ('task-11', 254, now()),
    ('invoice-12', 15, now()),
    ('product-13', 425, now()),
    ('plan-14', 120, now()),
    ('permission-15', 485, now()),
    ('invoice-16', 343, now()),
    ('inventory-17', 352, now()),
    ('export-18', 353, now()),
    ('payment-19', 178, now())
ON CONFLICT DO NOTHING;
