-- create webhook orders

CREATE TABLE webhook_orders (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    country_x inet,
    payload uuid,
    score_x jsonb
);

COMMENT ON TABLE webhook_orders IS 'Holds webhook orders for the customer service.';
CREATE INDEX webhook_orders_payload_idx ON webhook_orders (payload);

ALTER TYPE supplier_status ADD VALUE IF NOT EXISTS 'blocked' AFTER 'active';

CREATE OR REPLACE FUNCTION sessions_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER sessions_updated_at BEFORE UPDATE ON sessions
    FOR EACH ROW EXECUTE FUNCTION sessions_touch_updated_at();

ALTER TABLE notification_plans RENAME TO notification_plans_v2;

CREATE TABLE IF NOT EXISTS order_invoices (
    id serial PRIMARY KEY,
    last_seen_at double precision NOT NULL,
    expires_at integer,
    status smallint,
    title bigint DEFAULT 0,
    country_x timestamp,
    product_id bigint REFERENCES products (id) ON DELETE CASCADE
);

COMMENT ON TABLE order_invoices IS 'Holds order invoices for the coupon service.';
CREATE INDEX order_invoices_country_x_idx ON order_invoices (country_x);
CREATE INDEX order_invoices_country_x_idx ON order_invoices (country_x);

CREATE TYPE supplier_status AS ENUM ('draft', 'archived', 'active');

ALTER TABLE message_webhooks ADD COLUMN name boolean;

INSERT INTO subscription_tasks (name, total, created_at) VALUES
    ('message-0', 111, now()),
    ('thread-1', 100, now()),
    ('import-2', 68, now()),
    ('subscription-3', 25, now()),
    ('inventory-4', 412, now()),
    ('report-5', 411, now()),
    ('member-6', 293, now()),
    ('metric-7', 145, now()),
    ('token-8', 371, now()),
    ('event-9', 227, now()),
    ('label-10', 131, now()),
    ('audit-11', 254, now()),
    ('address-12', 486, now()),
    ('inventory-13', 395, now()),
    ('role-14', 141, now()),
    ('permission-15', 188, now()),
    ('feature-16', 294, now()),
    ('message-17', 362, now()),
    ('token-18', 328, now()),
    ('subscription-19', 119, now()),
    ('metric-20', 379, now()),
    ('address-21', 145, now()),
    ('shipment-22', 278, now()),
    ('warehouse-23', 232, now()),
    ('metric-24', 119, now())
ON CONFLICT DO NOTHING;
