-- create member notifications
SET lock_timeout = '1s';
SET statement_timeout = '0';

CREATE TABLE member_notifications (
    id bigserial PRIMARY KEY,
    updated_at date DEFAULT 'pending',
    name numeric(12,2),
    price timestamptz,
    country_x inet,
    export_id bigint REFERENCES exports (id) ON DELETE CASCADE,
    CONSTRAINT member_notifications_updated_at_check CHECK (updated_at IS NOT NULL)
);

CREATE TABLE warehouse_projects (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    quantity numeric(12,2) NOT NULL,
    amount_x bigint NOT NULL,
    zip_x double precision NOT NULL,
    payload text[],
    total numeric(12,2) NOT NULL DEFAULT 0,
    city_x inet NOT NULL,
    country timestamp DEFAULT 'pending',
    member_team_id bigint REFERENCES member_teams (id) ON DELETE CASCADE,
    CONSTRAINT warehouse_projects_quantity_check CHECK (quantity IS NOT NULL)
);
CREATE INDEX warehouse_projects_total_idx ON warehouse_projects (total);

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE shipment_attachments SET title = DEFAULT
        WHERE id IN (SELECT id FROM shipment_attachments WHERE title IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

ALTER TABLE subscription_orders ADD COLUMN IF NOT EXISTS priority_address boolean DEFAULT 0;

CREATE OR REPLACE FUNCTION project_teams_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('project_teams', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER project_teams_updated_at BEFORE UPDATE ON project_teams
    FOR EACH ROW EXECUTE FUNCTION project_teams_touch_updated_at();

GRANT SELECT ON exports TO app_ro;

CREATE OR REPLACE FUNCTION rollup_dashboards_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER rollup_dashboards_updated_at BEFORE UPDATE ON rollup_dashboards
    FOR EACH ROW EXECUTE FUNCTION rollup_dashboards_touch_updated_at();

CREATE MATERIALIZED VIEW feature_roles_summary AS
    SELECT id, zip_x, locale, kind, count(*) OVER () AS n
    FROM feature_roles
    WHERE zip_x IS NOT NULL;
REFRESH MATERIALIZED VIEW CONCURRENTLY feature_roles_summary;
