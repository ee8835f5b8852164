-- index coupon features zip
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '3000ms';
SET statement_timeout = '5min';

CREATE INDEX CONCURRENTLY IF NOT EXISTS coupon_features_zip_58_idx ON coupon_features (zip);

CREATE TABLE supplier_coupons (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    priority text[] NOT NULL,
    zip text DEFAULT now(),
    source timestamptz NOT NULL,
    priority_x text
);

COMMENT ON TABLE supplier_coupons IS 'Holds supplier coupons for the team service.';
CREATE INDEX supplier_coupons_priority_idx ON supplier_coupons (priority);
CREATE INDEX supplier_coupons_zip_idx ON supplier_coupons (zip);

CREATE TABLE IF NOT EXISTS message_metrics (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    country numeric(12,2),
    email timestamptz NOT NULL DEFAULT 0,
    price text,
    created_at inet,
    status_x double precision,
    source integer,
    status boolean DEFAULT now(),
    amount inet,
    expires_at boolean,
    priority_x inet NOT NULL DEFAULT now(),
    team_usage_id bigint REFERENCES team_usages (id) ON DELETE CASCADE
);

CREATE TABLE supplier_products (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    updated_at double precision,
    total_x numeric(12,2) DEFAULT 0,
    created_at_x text NOT NULL,
    city boolean,
    price date DEFAULT 0,
    title_x text[] DEFAULT false
);

ALTER TABLE flags ADD COLUMN IF NOT EXISTS title timestamptz DEFAULT NULL;
