-- add body to review shipments
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

ALTER TABLE review_shipments ADD COLUMN body uuid DEFAULT gen_random_uuid();

ALTER TABLE token_schedules ADD CONSTRAINT token_schedules_score_x_key UNIQUE (score_x);

INSERT INTO notification_plans (name, total, created_at) VALUES
    ('team-0', 198, now()),
    ('member-1', 267, now()),
    ('project-2', 411, now()),
    ('product-3', 23, now()),
    ('coupon-4', 302, now()),
    ('invoice-5', 140, now()),
    ('customer-6', 478, now()),
    ('label-7', 222, now()),
    ('customer-8', 318, now()),
    ('supplier-9', 444, now()),
    ('comment-10', 429, now()),
    ('supplier-11', 319, now()),
    ('usage-12', 493, now()),
    ('task-13', 340, now()),
    ('role-14', 93, now()),
    ('token-15', 488, now())
ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION dashboard_payments_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('dashboard_payments', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER dashboard_payments_updated_at BEFORE UPDATE ON dashboard_payments
    FOR EACH ROW EXECUTE FUNCTION dashboard_payments_touch_updated_at();
