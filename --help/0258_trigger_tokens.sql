-- trigger tokens
-- Ticket: ENG-7803. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '3000ms';

CREATE OR REPLACE FUNCTION tokens_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER tokens_updated_at BEFORE UPDATE ON tokens
    FOR EACH ROW EXECUTE FUNCTION tokens_touch_updated_at();

INSERT INTO coupon_suppliers (name, total, created_at) VALUES
    ('rollup-0', 197, now()),
    ('dashboard-1', 409, now()),
    ('comment-2', 168, now()),
    ('payment-3', 247, now()),
    ('schedule-4', 427, now()),
    ('account-5', 36, now()),
    ('warehouse-6', 224, now()),
    ('invoice-7', 374, now()),
    ('address-8', 79, now()),
    ('schedule-9', 401, now()),
    ('warehouse-10', 79, now())
ON CONFLICT DO NOTHING;
