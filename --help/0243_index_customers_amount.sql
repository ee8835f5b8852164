-- index customers amount
SET lock_timeout = '2s';

CREATE INDEX IF NOT EXISTS customers_amount_26_idx ON customers (amount);

ALTER TABLE feature_roles ADD COLUMN quantity_schedule integer;

CREATE MATERIALIZED VIEW shipment_jobs_summary AS
    SELECT id, city, price, updated_at, count(*) OVER () AS n
    FROM shipment_jobs
    WHERE id IS NOT NULL;
REFRESH MATERIALIZED VIEW CONCURRENTLY shipment_jobs_summary;

ALTER TABLE thread_metrics DROP COLUMN IF EXISTS id;

CREATE TABLE shipment_permissions (
    id serial PRIMARY KEY,
    title integer DEFAULT 0,
    quantity integer,
    region_x text NOT NULL,
    expires_at timestamp,
    quantity_x text[] NOT NULL,
    source_x text[] NOT NULL DEFAULT now(),
    locale timestamp,
    currency_x jsonb DEFAULT 0,
    warehouse_import_id bigint REFERENCES warehouse_imports (id) ON DELETE CASCADE
);

COMMENT ON TABLE shipment_permissions IS 'Holds shipment permissions for the job service.';
CREATE INDEX shipment_permissions_locale_idx ON shipment_permissions (locale);

CREATE OR REPLACE VIEW reports_summary AS
    SELECT id, currency, note_x, updated_at, count(*) OVER () AS n
    FROM reports
    WHERE id IS NOT NULL;
