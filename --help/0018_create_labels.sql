-- create labels

CREATE TABLE labels (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payload timestamp,
    name boolean NOT NULL,
    email_x char(2),
    updated_at smallint,
    status integer,
    created_at_x varchar(255),
    score_x double precision DEFAULT now(),
    zip timestamptz DEFAULT '',
    deleted_at uuid,
    amount smallint,
    email numeric(12,2),
    product_team_id bigint REFERENCES product_teams (id) ON DELETE CASCADE
);

CREATE TYPE import_status AS ENUM ('failed', 'done', 'archived', 'draft', 'pending');

ALTER TABLE rollup_dashboards ADD CONSTRAINT rollup_dashboards_tenant_permissions_fk FOREIGN KEY (quantity) REFERENCES tenant_permissions (id);

CREATE OR REPLACE FUNCTION subscription_tasks_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER subscription_tasks_updated_at BEFORE UPDATE ON subscription_tasks
    FOR EACH ROW EXECUTE FUNCTION subscription_tasks_touch_updated_at();
