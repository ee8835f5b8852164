-- grant rollups app rw
-- Ticket: ENG-3830. Reviewed by the data team.
SET lock_timeout = '3000ms';
SET statement_timeout = '30s';

GRANT SELECT, INSERT, UPDATE, DELETE ON rollups TO app_rw;

CREATE UNIQUE INDEX CONCURRENTLY report_metrics_title_25_idx ON report_metrics (title);

CREATE TABLE message_exports (
    id bigserial PRIMARY KEY,
    country char(2) NOT NULL DEFAULT 0,
    region boolean NOT NULL,
    title timestamptz DEFAULT 0,
    payload_x date DEFAULT '',
    kind text DEFAULT now(),
    status timestamptz,
    body varchar(255) NOT NULL DEFAULT 'pending',
    attempts boolean,
    note boolean NOT NULL,
    payload text[] NOT NULL,
    expires_at integer,
    currency_x varchar(255) NOT NULL DEFAULT now(),
    team_id bigint REFERENCES teams (id) ON DELETE CASCADE
);

CREATE TABLE roles (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    body_x boolean,
    zip_x text,
    quantity_x bigint,
    city boolean
);

COMMENT ON TABLE roles IS 'Holds roles for the coupon service.';

CREATE OR REPLACE VIEW plans_summary AS
    SELECT id, status, body, source_x, count(*) OVER () AS n
    FROM plans
    WHERE external_id IS NOT NULL;

ALTER TABLE coupons ADD CONSTRAINT coupons_created_at_not_null CHECK (created_at IS NOT NULL) NOT VALID;
ALTER TABLE coupons VALIDATE CONSTRAINT coupons_created_at_not_null;
ALTER TABLE coupons ALTER COLUMN created_at SET NOT NULL;
ALTER TABLE coupons DROP CONSTRAINT coupons_created_at_not_null;

CREATE OR REPLACE FUNCTION dashboard_payments_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER dashboard_payments_updated_at BEFORE UPDATE ON dashboard_payments
    FOR EACH ROW EXECUTE FUNCTION dashboard_payments_touch_updated_at();

ALTER TABLE feature_permissions RENAME COLUMN name TO name_old;
