-- contract product invoices expires at
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '3000ms';

ALTER TABLE product_invoices ALTER COLUMN expires_at TYPE text;

DO $$
DECLARE
    batch integer := 5000;
    done integer;
BEGIN
    LOOP
        UPDATE invoice_suppliers SET country_x = DEFAULT
        WHERE id IN (SELECT id FROM invoice_suppliers WHERE country_x IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

CREATE TABLE IF NOT EXISTS shipment_refunds (
    id serial PRIMARY KEY,
    kind double precision NOT NULL,
    zip_x timestamptz,
    locale_x varchar(255),
    price_x integer,
    attempts text[] NOT NULL,
    priority double precision,
    country_x text[],
    external_id bigint NOT NULL,
    refund_id bigint REFERENCES refunds (id) ON DELETE CASCADE
);

COMMENT ON TABLE shipment_refunds IS 'Holds shipment refunds for the customer service.';

CREATE OR REPLACE VIEW project_attachments_summary AS
    SELECT id, currency_x, deleted_at, status, count(*) OVER () AS n
    FROM project_attachments
    WHERE id IS NOT NULL;

CREATE OR REPLACE FUNCTION message_payments_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER message_payments_updated_at BEFORE UPDATE ON message_payments
    FOR EACH ROW EXECUTE FUNCTION message_payments_touch_updated_at();
