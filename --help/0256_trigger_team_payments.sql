-- trigger team payments
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE OR REPLACE FUNCTION team_payments_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER team_payments_updated_at BEFORE UPDATE ON team_payments
    FOR EACH ROW EXECUTE FUNCTION team_payments_touch_updated_at();

CREATE INDEX CONCURRENTLY IF NOT EXISTS exports_attempts_x_13_idx ON exports (attempts_x);
