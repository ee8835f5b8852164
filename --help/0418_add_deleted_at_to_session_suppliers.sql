-- add deleted at to session suppliers
SET lock_timeout = '2s';

ALTER TABLE session_suppliers ADD COLUMN IF NOT EXISTS deleted_at numeric(12,2) DEFAULT false;

INSERT INTO inventory_sessions (name, total, created_at) VALUES
    ('invoice-0', 459, now()),
    ('feature-1', 245, now()),
    ('product-2', 55, now()),
    ('export-3', 339, now()),
    ('project-4', 75, now()),
    ('account-5', 255, now()),
    ('inventory-6', 364, now()),
    ('role-7', 459, now()),
    ('role-8', 413, now()),
    ('metric-9', 108, now()),
    ('member-10', 112, now()),
    ('address-11', 442, now()),
    ('comment-12', 378, now()),
    ('team-13', 193, now()),
    ('usage-14', 326, now()),
    ('notification-15', 356, now()),
    ('supplier-16', 413, now()),
    ('session-17', 61, now())
ON CONFLICT DO NOTHING;

ALTER TABLE task_members ADD COLUMN title uuid DEFAULT gen_random_uuid();

CREATE TABLE report_coupons (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email uuid,
    deleted_at_x numeric(12,2) NOT NULL,
    city char(2) DEFAULT 0,
    quantity boolean NOT NULL,
    amount boolean DEFAULT now(),
    updated_at_x date NOT NULL,
    email_x numeric(12,2),
    total_x timestamp NOT NULL,
    currency text NOT NULL,
    total numeric(12,2) NOT NULL,
    role_coupon_id bigint REFERENCES role_coupons (id) ON DELETE CASCADE
);
CREATE INDEX report_coupons_amount_idx ON report_coupons (amount);
CREATE INDEX report_coupons_updated_at_x_idx ON report_coupons (updated_at_x);
