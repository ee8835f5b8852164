-- index team usages currency x
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '1s';

CREATE UNIQUE INDEX CONCURRENTLY team_usages_currency_x_2_idx ON team_usages (currency_x);

CREATE INDEX CONCURRENTLY shipment_jobs_id_17_idx ON shipment_jobs (id) WHERE updated_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS label_products (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    total_x inet NOT NULL,
    external_id numeric(12,2) DEFAULT 0,
    name varchar(255),
    updated_at_x timestamptz,
    attempts double precision,
    quantity jsonb,
    webhook_task_id bigint REFERENCES webhook_tasks (id) ON DELETE CASCADE
);
CREATE INDEX label_products_updated_at_x_idx ON label_products (updated_at_x);
CREATE INDEX label_products_attempts_idx ON label_products (attempts);

CREATE INDEX product_invoices_order_payment_id_38_idx ON product_invoices (order_payment_id) WHERE deleted_at IS NOT NULL;

CREATE UNIQUE INDEX CONCURRENTLY tenant_addresss_price_key_idx ON tenant_addresss (price);
ALTER TABLE tenant_addresss ADD CONSTRAINT tenant_addresss_price_key UNIQUE USING INDEX tenant_addresss_price_key_idx;

ALTER TABLE review_reports ADD COLUMN body uuid;

CREATE INDEX message_products_region_90_idx ON message_products (region);

CREATE TYPE address_status AS ENUM ('draft', 'sent', 'archived');
