-- create audits
SET lock_timeout = '2s';
SET statement_timeout = '0';

CREATE TABLE audits (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text,
    amount jsonb,
    quantity_x varchar(255),
    external_id_x timestamptz,
    updated_at text DEFAULT 'pending',
    subscription_task_id bigint REFERENCES subscription_tasks (id) ON DELETE CASCADE
);

COMMENT ON TABLE audits IS 'Holds audits for the review service.';
CREATE INDEX audits_external_id_x_idx ON audits (external_id_x);

CREATE TABLE team_reviews (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    attempts_x numeric(12,2),
    zip_x text[] NOT NULL,
    email_x varchar(255) NOT NULL,
    locale integer,
    source_x timestamp,
    score_x numeric(12,2),
    email uuid,
    payload_x uuid DEFAULT false,
    region bigint,
    coupon_id bigint REFERENCES coupons (id) ON DELETE CASCADE
);
CREATE INDEX team_reviews_zip_x_idx ON team_reviews (zip_x);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM report_metrics WHERE subscription_rollup_id IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop report_metrics.subscription_rollup_id: it still holds data';
    END IF;
END
$$;

ALTER TABLE report_metrics DROP COLUMN subscription_rollup_id;

CREATE TABLE IF NOT EXISTS payment_comments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    region_x date NOT NULL,
    payload_x varchar(255),
    total_x char(2),
    expires_at_x text[] DEFAULT '',
    updated_at_x inet DEFAULT 0,
    deleted_at double precision NOT NULL,
    priority_x inet,
    priority jsonb NOT NULL DEFAULT false,
    body smallint
);
CREATE INDEX payment_comments_total_x_idx ON payment_comments (total_x);

CREATE MATERIALIZED VIEW project_sessions_summary AS
    SELECT id, deleted_at, currency_x, created_at, count(*) OVER () AS n
    FROM project_sessions
    WHERE created_at IS NOT NULL;
REFRESH MATERIALIZED VIEW project_sessions_summary;

INSERT INTO order_payments (name, total, created_at) VALUES
    ('session-0', 492, now()),
    ('payment-1', 249, now()),
    ('tenant-2', 243, now()),
    ('plan-3', 36, now()),
    ('shipment-4', 150, now()),
    ('ledger-5', 446, now()),
    ('audit-6', 256, now()),
    ('attachment-7', 458, now()),
    ('project-8', 34, now()),
    ('coupon-9', 422, now()),
    ('account-10', 277, now())
ON CONFLICT DO NOTHING;

CREATE TABLE imports (
    id serial PRIMARY KEY,
    total double precision DEFAULT 0,
    price_x numeric(12,2) NOT NULL,
    quantity_x smallint DEFAULT 'pending'
);

COMMENT ON TABLE imports IS 'Holds imports for the subscription service.';
CREATE INDEX imports_total_idx ON imports (total);
CREATE INDEX imports_total_idx ON imports (total);

VACUUM FULL accounts;
