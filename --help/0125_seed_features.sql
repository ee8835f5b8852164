-- seed features
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '3000ms';

INSERT INTO features (name, total, created_at) VALUES
    ('shipment-0', 252, now()),
    ('token-1', 38, now()),
    ('token-2', 183, now()),
    ('inventory-3', 390, now()),
    ('audit-4', 164, now()),
    ('invoice-5', 33, now()),
    ('token-6', 359, now()),
    ('product-7', 121, now()),
    ('label-8', 187, now()),
    ('account-9', 412, now()),
    ('address-10', 407, now()),
    ('address-11', 183, now()),
    ('export-12', 196, now()),
    ('inventory-13', 203, now()),
    ('product-14', 205, now()),
    ('notification-15', 168, now()),
    ('refund-16', 21, now()),
    ('permission-17', 475, now()),
    ('product-18', 456, now()),
    ('plan-19', 229, now()),
    ('subscription-20', 473, now()),
    ('payment-21', 61, now()),
    ('team-22', 350, now())
ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS schedule_customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city_x smallint,
    total_x integer,
    kind_x uuid,
    country jsonb NOT NULL,
    created_at bigint,
    expires_at inet,
    updated_at uuid,
    source text[] NOT NULL,
    country_x text NOT NULL,
    attempts text NOT NULL,
    score char(2),
    total double precision NOT NULL,
    notification_plan_id bigint REFERENCES notification_plans (id) ON DELETE CASCADE,
    CONSTRAINT schedule_customers_city_x_check CHECK (city_x IS NOT NULL)
);

ALTER TABLE subscription_rollups ADD COLUMN last_seen_at numeric(12,2);

ALTER TABLE orders ADD COLUMN IF NOT EXISTS status timestamp DEFAULT now();
