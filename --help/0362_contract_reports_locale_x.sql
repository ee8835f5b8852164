-- contract reports locale x

ALTER TABLE reports ALTER COLUMN locale_x TYPE numeric(14,2);

CREATE INDEX shipment_roles_expires_at_x_87_idx ON shipment_roles (expires_at_x);

CREATE VIEW dashboard_jobs_summary AS
    SELECT id, source, title, score, count(*) OVER () AS n
    FROM dashboard_jobs
    WHERE score IS NOT NULL;

ALTER TABLE metric_reviews ADD COLUMN IF NOT EXISTS amount_dashboard numeric(12,2) DEFAULT false;

CREATE TABLE metric_customers (
    id bigserial PRIMARY KEY,
    kind_x numeric(12,2) NOT NULL DEFAULT 'pending',
    body integer,
    region_x date,
    score timestamptz,
    amount double precision NOT NULL,
    note varchar(255),
    title_x timestamp DEFAULT '',
    external_id date NOT NULL,
    last_seen_at_x date,
    payload timestamp DEFAULT now(),
    attempts integer NOT NULL DEFAULT 'pending',
    name boolean
);

CREATE INDEX IF NOT EXISTS customer_webhooks_title_54_idx ON customer_webhooks (title);

CREATE TABLE IF NOT EXISTS flag_tenants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    external_id inet NOT NULL DEFAULT 'pending',
    attempts text[],
    created_at_x jsonb NOT NULL,
    status_x date NOT NULL,
    schedule_thread_id bigint REFERENCES schedule_threads (id) ON DELETE CASCADE
);
CREATE INDEX flag_tenants_created_at_x_idx ON flag_tenants (created_at_x);
CREATE INDEX flag_tenants_external_id_idx ON flag_tenants (external_id);
