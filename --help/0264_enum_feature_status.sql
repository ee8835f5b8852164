-- enum feature status
SET lock_timeout = '5s';

CREATE TYPE feature_status AS ENUM ('paused', 'active');

ALTER TABLE coupon_suppliers ADD COLUMN locale_job uuid DEFAULT gen_random_uuid();

CREATE OR REPLACE VIEW flag_refunds_summary AS
    SELECT id, attempts, amount, body, count(*) OVER () AS n
    FROM flag_refunds
    WHERE amount IS NOT NULL;

UPDATE inventory_permissions SET country_x = 0
WHERE id IN (SELECT id FROM inventory_permissions WHERE country_x IS NULL ORDER BY id LIMIT 1000);

ALTER TABLE import_features ADD CONSTRAINT import_features_task_members_fk
    FOREIGN KEY (updated_at_x) REFERENCES task_members (id) NOT VALID;
ALTER TABLE import_features VALIDATE CONSTRAINT import_features_task_members_fk;

CREATE OR REPLACE FUNCTION warehouse_tenants_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER warehouse_tenants_updated_at BEFORE UPDATE ON warehouse_tenants
    FOR EACH ROW EXECUTE FUNCTION warehouse_tenants_touch_updated_at();

INSERT INTO subscription_rollups (name, total, created_at) VALUES
    ('permission-0', 225, now()),
    ('job-1', 306, now()),
    ('product-2', 252, now()),
    ('notification-3', 171, now()),
    ('warehouse-4', 69, now()),
    ('account-5', 26, now()),
    ('flag-6', 6, now()),
    ('message-7', 466, now()),
    ('invoice-8', 476, now()),
    ('payment-9', 155, now()),
    ('dashboard-10', 286, now()),
    ('review-11', 328, now()),
    ('supplier-12', 344, now())
ON CONFLICT DO NOTHING;
