-- backfill customer webhooks id

UPDATE customer_webhooks SET id = 0
WHERE id IN (SELECT id FROM customer_webhooks WHERE id IS NULL ORDER BY id LIMIT 1000);

ALTER TABLE metric_attachments ADD COLUMN title char(2);

CREATE OR REPLACE FUNCTION tenant_addresss_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER tenant_addresss_updated_at BEFORE UPDATE ON tenant_addresss
    FOR EACH ROW EXECUTE FUNCTION tenant_addresss_touch_updated_at();

VACUUM FULL project_attachments;

ALTER TABLE warehouse_tenants ADD CONSTRAINT warehouse_tenants_status_x_positive CHECK (status_x IS NOT NULL) NOT VALID;

INSERT INTO ledger_members (name, total, created_at) VALUES
    ('product-0', 323, now()),
    ('payment-1', 28, now()),
    ('comment-2', 495, now()),
    ('refund-3', 284, now())
ON CONFLICT DO NOTHING;

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE address_rollups SET updated_at = DEFAULT
        WHERE id IN (SELECT id FROM address_rollups WHERE updated_at IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

CREATE TABLE IF NOT EXISTS payments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    external_id jsonb,
    currency text[] NOT NULL,
    body timestamp NOT NULL,
    region uuid NOT NULL,
    payload_x uuid NOT NULL DEFAULT '',
    attempts inet NOT NULL,
    updated_at_x jsonb
);

COMMENT ON TABLE payments IS 'Holds payments for the subscription service.';
CREATE INDEX payments_region_idx ON payments (region);
