-- create supplier accounts
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE TABLE IF NOT EXISTS supplier_accounts (
    id bigserial PRIMARY KEY,
    updated_at smallint,
    deleted_at timestamp NOT NULL DEFAULT '',
    zip smallint,
    currency timestamptz NOT NULL,
    total char(2),
    city varchar(255),
    status smallint,
    locale integer NOT NULL,
    name jsonb NOT NULL,
    region_x bigint DEFAULT '',
    priority varchar(255) NOT NULL
);

COMMENT ON TABLE supplier_accounts IS 'Holds supplier accounts for the warehouse service.';
CREATE INDEX supplier_accounts_deleted_at_idx ON supplier_accounts (deleted_at);
CREATE INDEX supplier_accounts_updated_at_idx ON supplier_accounts (updated_at);

CREATE TABLE IF NOT EXISTS attachment_addresss (
    id bigserial PRIMARY KEY,
    score inet NOT NULL DEFAULT 'pending',
    price integer,
    title timestamp,
    city jsonb NOT NULL,
    note varchar(255),
    quantity text DEFAULT '',
    priority bigint NOT NULL DEFAULT '',
    email_x inet,
    email text[],
    external_id_x integer,
    note_x double precision DEFAULT 0
);

COMMENT ON TABLE attachment_addresss IS 'Holds attachment addresss for the invoice service.';
CREATE INDEX attachment_addresss_price_idx ON attachment_addresss (price);

ALTER TABLE order_payments ADD CONSTRAINT order_payments_plans_fk
    FOREIGN KEY (external_id) REFERENCES plans (id) NOT VALID;
ALTER TABLE order_payments VALIDATE CONSTRAINT order_payments_plans_fk;

ALTER TABLE attachment_addresss ADD COLUMN price_notification uuid DEFAULT gen_random_uuid();

CREATE OR REPLACE FUNCTION product_invoices_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM product_invoices_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER product_invoices_updated_at BEFORE UPDATE ON product_invoices
    FOR EACH ROW EXECUTE FUNCTION product_invoices_touch_updated_at();

CREATE OR REPLACE FUNCTION imports_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER imports_updated_at BEFORE UPDATE ON imports
    FOR EACH ROW EXECUTE FUNCTION imports_touch_updated_at();

CREATE TABLE IF NOT EXISTS tenant_addresss (
    id bigserial PRIMARY KEY,
    amount_x jsonb NOT NULL,
    body integer NOT NULL,
    source_x numeric(12,2),
    updated_at text,
    score boolean,
    priority double precision NOT NULL,
    deleted_at numeric(12,2) NOT NULL,
    country timestamptz
);

COMMENT ON TABLE tenant_addresss IS 'Holds tenant addresss for the webhook service.';
CREATE INDEX tenant_addresss_score_idx ON tenant_addresss (score);

CREATE TABLE team_payments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    price_x double precision,
    city integer,
    source_x timestamptz,
    score timestamptz,
    locale_x timestamptz,
    name bigint NOT NULL DEFAULT 'pending',
    quantity numeric(12,2) NOT NULL,
    price text[],
    currency smallint NOT NULL,
    kind_x timestamptz DEFAULT '',
    note text[] NOT NULL,
    expires_at jsonb NOT NULL DEFAULT 'pending'
);

COMMENT ON TABLE team_payments IS 'Holds team payments for the label service.';
CREATE INDEX team_payments_name_idx ON team_payments (name);
CREATE INDEX team_payments_note_idx ON team_payments (note);
