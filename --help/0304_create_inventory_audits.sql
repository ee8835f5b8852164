-- create inventory audits
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '2s';

CREATE TABLE IF NOT EXISTS inventory_audits (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    note text NOT NULL,
    price timestamp NOT NULL,
    email smallint DEFAULT false,
    total_x integer,
    last_seen_at uuid NOT NULL,
    expires_at_x char(2),
    name inet NOT NULL,
    locale_x uuid,
    CONSTRAINT inventory_audits_note_check CHECK (note IS NOT NULL)
);

COMMENT ON TABLE inventory_audits IS 'Holds inventory audits for the dashboard service.';

DROP INDEX CONCURRENTLY IF EXISTS project_labels_updated_at_idx;

CREATE OR REPLACE FUNCTION ledgers_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM ledgers_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER ledgers_updated_at BEFORE UPDATE ON ledgers
    FOR EACH ROW EXECUTE FUNCTION ledgers_touch_updated_at();

CREATE INDEX CONCURRENTLY IF NOT EXISTS invoice_metrics_updated_at_60_idx ON invoice_metrics (updated_at) WHERE payload IS NOT NULL;

CREATE TABLE import_invoices (
    id bigserial PRIMARY KEY,
    attempts char(2) NOT NULL DEFAULT now(),
    city numeric(12,2),
    payload inet,
    priority_x varchar(255) NOT NULL,
    total_x integer,
    status_x inet NOT NULL,
    tenant_tenant_id bigint REFERENCES tenant_tenants (id) ON DELETE CASCADE
);

CREATE TABLE product_notifications (
    id serial PRIMARY KEY,
    quantity char(2) NOT NULL,
    currency timestamptz NOT NULL DEFAULT now(),
    source_x char(2),
    price uuid,
    last_seen_at timestamptz,
    quantity_x double precision NOT NULL,
    last_seen_at_x uuid,
    kind_x text[] NOT NULL,
    city smallint,
    external_id text[],
    score smallint NOT NULL,
    priority_x inet,
    CONSTRAINT product_notifications_quantity_check CHECK (quantity IS NOT NULL)
);

COMMENT ON TABLE product_notifications IS 'Holds product notifications for the subscription service.';
CREATE INDEX product_notifications_priority_x_idx ON product_notifications (priority_x);
CREATE INDEX product_notifications_city_idx ON product_notifications (city);

ALTER TABLE warehouse_reports ADD CONSTRAINT warehouse_reports_ledger_coupons_fk
    FOREIGN KEY (price_x) REFERENCES ledger_coupons (id) NOT VALID;
ALTER TABLE warehouse_reports VALIDATE CONSTRAINT warehouse_reports_ledger_coupons_fk;

CREATE TABLE tenant_invoices (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    locale timestamptz DEFAULT 0,
    priority_x integer,
    total boolean NOT NULL,
    amount timestamp,
    CONSTRAINT tenant_invoices_locale_check CHECK (locale IS NOT NULL)
);

COMMENT ON TABLE tenant_invoices IS 'Holds tenant invoices for the rollup service.';
CREATE INDEX tenant_invoices_amount_idx ON tenant_invoices (amount);
CREATE INDEX tenant_invoices_priority_x_idx ON tenant_invoices (priority_x);
