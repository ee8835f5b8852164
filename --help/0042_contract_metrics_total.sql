-- contract metrics total
SET lock_timeout = '5s';

ALTER TABLE metrics ALTER COLUMN total TYPE text;

ALTER TABLE plans ALTER COLUMN source_x TYPE text;

CREATE OR REPLACE FUNCTION team_payments_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER team_payments_updated_at BEFORE UPDATE ON team_payments
    FOR EACH ROW EXECUTE FUNCTION team_payments_touch_updated_at();

CREATE OR REPLACE FUNCTION subscription_tasks_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('subscription_tasks', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER subscription_tasks_updated_at BEFORE UPDATE ON subscription_tasks
    FOR EACH ROW EXECUTE FUNCTION subscription_tasks_touch_updated_at();

UPDATE coupons SET created_at = NULL
WHERE id IN (SELECT id FROM coupons WHERE created_at IS NULL ORDER BY id LIMIT 10000);
