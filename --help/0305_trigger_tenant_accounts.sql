-- trigger tenant accounts
SET lock_timeout = '1s';

CREATE OR REPLACE FUNCTION tenant_accounts_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER tenant_accounts_updated_at BEFORE UPDATE ON tenant_accounts
    FOR EACH ROW EXECUTE FUNCTION tenant_accounts_touch_updated_at();

CREATE TABLE report_invoices (
    id serial PRIMARY KEY,
    currency double precision DEFAULT false,
    name numeric(12,2) NOT NULL,
    status smallint,
    quantity uuid DEFAULT 0,
    updated_at_x bigint,
    CONSTRAINT report_invoices_currency_check CHECK (currency IS NOT NULL)
);

COMMENT ON TABLE report_invoices IS 'Holds report invoices for the coupon service.';
