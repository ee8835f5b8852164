-- constrain token exports source
-- Ticket: ENG-1866. Reviewed by the data team.
SET statement_timeout = '0';

ALTER TABLE token_exports ADD CONSTRAINT token_exports_customer_flags_fk FOREIGN KEY (source) REFERENCES customer_flags (id);

CREATE TABLE IF NOT EXISTS feature_accounts (
    id serial PRIMARY KEY,
    quantity jsonb DEFAULT now(),
    city integer NOT NULL,
    region_x timestamptz NOT NULL DEFAULT now()
);

ALTER TYPE invoice_status ADD VALUE IF NOT EXISTS 'blocked';

CREATE UNIQUE INDEX CONCURRENTLY token_schedules_price_77_idx ON token_schedules (price);

CREATE OR REPLACE FUNCTION webhook_webhooks_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM webhook_webhooks_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER webhook_webhooks_updated_at BEFORE UPDATE ON webhook_webhooks
    FOR EACH ROW EXECUTE FUNCTION webhook_webhooks_touch_updated_at();
