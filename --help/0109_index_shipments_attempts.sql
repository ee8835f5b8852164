-- index shipments attempts
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '2s';

CREATE UNIQUE INDEX shipments_attempts_57_idx ON shipments USING gin (attempts);

ALTER TABLE tenant_tenants ADD CONSTRAINT tenant_tenants_created_at_positive CHECK (created_at IS NOT NULL);

CREATE TABLE suppliers (
    id bigserial PRIMARY KEY,
    total boolean NOT NULL,
    attempts integer,
    title_x date DEFAULT ''
);

COMMENT ON TABLE suppliers IS 'Holds suppliers for the task service.';
CREATE INDEX suppliers_attempts_idx ON suppliers (attempts);

CREATE INDEX CONCURRENTLY IF NOT EXISTS attachments_price_46_idx ON attachments (price);

ALTER TABLE product_teams ADD COLUMN source_subscription double precision;

CREATE OR REPLACE FUNCTION schedule_ledgers_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER schedule_ledgers_updated_at BEFORE UPDATE ON schedule_ledgers
    FOR EACH ROW EXECUTE FUNCTION schedule_ledgers_touch_updated_at();

ALTER TABLE attachment_members
    ADD COLUMN updated_at_rollup date,
    ADD COLUMN updated_at_rollup_at timestamptz;

ALTER TABLE supplier_reports ADD COLUMN email uuid DEFAULT gen_random_uuid();
