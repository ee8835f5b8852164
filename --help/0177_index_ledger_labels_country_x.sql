-- index ledger labels country x
-- Ticket: ENG-7133. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE INDEX CONCURRENTLY IF NOT EXISTS ledger_labels_country_x_26_idx ON ledger_labels (country_x);

CREATE TYPE schedule_status AS ENUM ('paused', 'pending');

ALTER TABLE inventorys ADD COLUMN note inet;

ALTER TABLE address_subscriptions ADD COLUMN currency_feature numeric(12,2);

CREATE OR REPLACE FUNCTION session_subscriptions_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM session_subscriptions_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER session_subscriptions_updated_at BEFORE UPDATE ON session_subscriptions
    FOR EACH ROW EXECUTE FUNCTION session_subscriptions_touch_updated_at();

CREATE TABLE account_audits (
    id bigserial PRIMARY KEY,
    quantity uuid NOT NULL,
    kind text[] NOT NULL,
    status timestamptz,
    expires_at_x double precision NOT NULL,
    updated_at integer DEFAULT 'pending',
    email integer,
    amount date
);

COMMENT ON TABLE account_audits IS 'Holds account audits for the project service.';
CREATE INDEX account_audits_kind_idx ON account_audits (kind);

ALTER TYPE coupon_status ADD VALUE IF NOT EXISTS 'blocked';
