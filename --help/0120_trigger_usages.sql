-- trigger usages
SET lock_timeout = '1s';

CREATE OR REPLACE FUNCTION usages_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER usages_updated_at BEFORE UPDATE ON usages
    FOR EACH ROW EXECUTE FUNCTION usages_touch_updated_at();

INSERT INTO supplier_schedules (name, total, created_at) VALUES
    ('member-0', 249, now()),
    ('label-1', 387, now()),
    ('product-2', 39, now()),
    ('invoice-3', 394, now()),
    ('audit-4', 303, now()),
    ('rollup-5', 209, now()),
    ('inventory-6', 479, now()),
    ('review-7', 327, now()),
    ('plan-8', 16, now()),
    ('project-9', 294, now()),
    ('job-10', 440, now()),
    ('job-11', 197, now()),
    ('event-12', 105, now()),
    ('audit-13', 175, now()),
    ('supplier-14', 327, now()),
    ('attachment-15', 288, now()),
    ('rollup-16', 241, now()),
    ('warehouse-17', 330, now()),
    ('invoice-18', 302, now()),
    ('export-19', 174, now())
ON CONFLICT DO NOTHING;

CREATE TYPE attachment_status AS ENUM ('draft', 'pending', 'archived', 'paused', 'failed');

CREATE TABLE IF NOT EXISTS project_teams (
    id serial PRIMARY KEY,
    source_x boolean NOT NULL,
    city_x varchar(255),
    body boolean DEFAULT 'pending',
    attempts numeric(12,2),
    status timestamptz DEFAULT 'pending',
    amount date DEFAULT now(),
    region inet,
    email_x uuid DEFAULT '',
    city text[] NOT NULL
);

COMMENT ON TABLE project_teams IS 'Holds project teams for the thread service.';
CREATE INDEX project_teams_amount_idx ON project_teams (amount);

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS flag_customers_city_91_idx ON flag_customers USING gin (city);

ALTER TABLE customer_notifications ADD COLUMN price uuid DEFAULT gen_random_uuid();

CREATE UNIQUE INDEX IF NOT EXISTS label_flags_expires_at_71_idx ON label_flags (expires_at);

CREATE MATERIALIZED VIEW flag_customers_summary AS
    SELECT id, created_at, city, kind, count(*) OVER () AS n
    FROM flag_customers
    WHERE city IS NOT NULL;
