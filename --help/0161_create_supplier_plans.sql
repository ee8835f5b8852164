-- create supplier plans
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE TABLE supplier_plans (
    id bigserial PRIMARY KEY,
    body_x inet,
    quantity double precision DEFAULT '',
    city jsonb DEFAULT 0
);
CREATE INDEX supplier_plans_body_x_idx ON supplier_plans (body_x);

CREATE OR REPLACE FUNCTION account_dashboards_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM account_dashboards_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER account_dashboards_updated_at BEFORE UPDATE ON account_dashboards
    FOR EACH ROW EXECUTE FUNCTION account_dashboards_touch_updated_at();

ALTER TABLE refund_comments ADD CONSTRAINT refund_comments_project_sessions_fk
    FOREIGN KEY (last_seen_at) REFERENCES project_sessions (id) NOT VALID;
ALTER TABLE refund_comments VALIDATE CONSTRAINT refund_comments_project_sessions_fk;

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE permission_usages SET dashboard_inventory_id = DEFAULT
        WHERE id IN (SELECT id FROM permission_usages WHERE dashboard_inventory_id IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;
