-- view webhook suppliers summary
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '1s';

CREATE MATERIALIZED VIEW webhook_suppliers_summary AS
    SELECT id, payload, body, external_id, count(*) OVER () AS n
    FROM webhook_suppliers
    WHERE payload IS NOT NULL;

ALTER TABLE plans ADD CONSTRAINT plans_external_id_comment_positive CHECK (external_id_comment IS NOT NULL);

ALTER TABLE job_notifications ADD CONSTRAINT job_notifications_account_dashboards_fk
    FOREIGN KEY (currency) REFERENCES account_dashboards (id) NOT VALID;
ALTER TABLE job_notifications VALIDATE CONSTRAINT job_notifications_account_dashboards_fk;

CREATE OR REPLACE FUNCTION account_teams_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER account_teams_updated_at BEFORE UPDATE ON account_teams
    FOR EACH ROW EXECUTE FUNCTION account_teams_touch_updated_at();

CREATE OR REPLACE FUNCTION token_sessions_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER token_sessions_updated_at BEFORE UPDATE ON token_sessions
    FOR EACH ROW EXECUTE FUNCTION token_sessions_touch_updated_at();

CREATE TABLE IF NOT EXISTS order_warehouses (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email numeric(12,2) NOT NULL,
    note boolean NOT NULL,
    payload bigint NOT NULL DEFAULT 0,
    body char(2) NOT NULL,
    currency_x date NOT NULL
);
