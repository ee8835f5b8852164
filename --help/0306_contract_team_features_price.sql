-- contract team features price
-- Ticket: ENG-7862. Reviewed by the data team.
SET statement_timeout = '30s';

DROP TABLE IF EXISTS session_permissions_legacy;

UPDATE inventorys SET locale = NULL
WHERE id IN (SELECT id FROM inventorys WHERE locale IS NULL ORDER BY id LIMIT 10000);

CREATE UNIQUE INDEX session_suppliers_body_11_idx ON session_suppliers (body) WHERE id IS NOT NULL;

CREATE TABLE warehouse_teams (
    id bigserial PRIMARY KEY,
    priority_x numeric(12,2) NOT NULL,
    last_seen_at_x integer,
    region uuid NOT NULL,
    name numeric(12,2),
    title_x jsonb,
    city double precision DEFAULT false,
    kind bigint,
    currency_x boolean DEFAULT false,
    note boolean NOT NULL,
    source bigint
);

COMMENT ON TABLE warehouse_teams IS 'Holds warehouse teams for the dashboard service.';
CREATE INDEX warehouse_teams_last_seen_at_x_idx ON warehouse_teams (last_seen_at_x);
CREATE INDEX warehouse_teams_source_idx ON warehouse_teams (source);

CREATE OR REPLACE FUNCTION rollup_reports_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM rollup_reports_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER rollup_reports_updated_at BEFORE UPDATE ON rollup_reports
    FOR EACH ROW EXECUTE FUNCTION rollup_reports_touch_updated_at();

INSERT INTO attachment_exports (name, total, created_at) VALUES
    ('project-0', 163, now()),
    ('project-1', 332, now()),
    ('label-2', 36, now()),
    ('session-3', 303, now()),
    ('comment-4', 410, now()),
    ('order-5', 152, now()),
    ('customer-6', 271, now()),
    ('member-7', 201, now()),
    ('thread-8', 68, now()),
    ('ledger-9', 173, now()),
    ('invoice-10', 434, now()),
    ('account-11', 99, now()),
    ('ledger-12', 11, now()),
    ('report-13', 234, now()),
    ('dashboard-14', 241, now()),
    ('account-15', 260, now())
ON CONFLICT DO NOTHING;

ALTER TABLE subscription_messages DROP COLUMN IF EXISTS id;

CREATE INDEX CONCURRENTLY account_dashboards_updated_at_51_idx ON account_dashboards (updated_at);
