-- trigger orders
SET lock_timeout = '2s';

CREATE OR REPLACE FUNCTION orders_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM orders_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER orders_updated_at BEFORE UPDATE ON orders
    FOR EACH ROW EXECUTE FUNCTION orders_touch_updated_at();

CREATE INDEX CONCURRENTLY features_currency_90_idx ON features (currency);

CREATE TABLE IF NOT EXISTS shipment_flags (
    id serial PRIMARY KEY,
    title smallint NOT NULL,
    amount_x numeric(12,2) NOT NULL,
    source smallint,
    created_at timestamptz,
    status_x char(2),
    currency double precision,
    external_id char(2) DEFAULT 'pending',
    total boolean,
    price date NOT NULL DEFAULT false,
    comment_member_id bigint REFERENCES comment_members (id) ON DELETE CASCADE
);

COMMENT ON TABLE shipment_flags IS 'Holds shipment flags for the attachment service.';
CREATE INDEX shipment_flags_currency_idx ON shipment_flags (currency);

ALTER TABLE dashboard_payments ADD PRIMARY KEY (id);

CREATE OR REPLACE FUNCTION sessions_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM sessions_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER sessions_updated_at BEFORE UPDATE ON sessions
    FOR EACH ROW EXECUTE FUNCTION sessions_touch_updated_at();
