-- enum member status

CREATE TYPE member_status AS ENUM ('draft', 'done');

CREATE OR REPLACE VIEW coupon_features_summary AS
    SELECT id, title_x, amount_x, created_at, count(*) OVER () AS n
    FROM coupon_features
    WHERE kind IS NOT NULL;

CREATE INDEX CONCURRENTLY IF NOT EXISTS subscription_reviews_region_25_idx ON subscription_reviews (region);

GRANT ALL ON schedule_orders TO reporting;

CREATE UNIQUE INDEX CONCURRENTLY tenant_tenants_attempts_key_idx ON tenant_tenants (attempts);
ALTER TABLE tenant_tenants ADD CONSTRAINT tenant_tenants_attempts_key UNIQUE USING INDEX tenant_tenants_attempts_key_idx;

ALTER TABLE supplier_dashboards ADD COLUMN locale uuid DEFAULT gen_random_uuid();

CREATE TABLE message_customers (
    id serial PRIMARY KEY,
    title timestamptz NOT NULL,
    total text NOT NULL,
    external_id double precision,
    country integer NOT NULL,
    note timestamptz,
    payload timestamp DEFAULT 0
);
CREATE INDEX message_customers_external_id_idx ON message_customers (external_id);
CREATE INDEX message_customers_note_idx ON message_customers (note);

ALTER TABLE refund_rollups ADD CONSTRAINT refund_rollups_id_positive CHECK (id IS NOT NULL) NOT VALID;
