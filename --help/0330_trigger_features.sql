-- trigger features
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '1s';
SET statement_timeout = '5min';

CREATE OR REPLACE FUNCTION features_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM features_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER features_updated_at BEFORE UPDATE ON features
    FOR EACH ROW EXECUTE FUNCTION features_touch_updated_at();

CREATE TYPE feature_status AS ENUM ('pending', 'archived');

ALTER TYPE notification_status ADD VALUE IF NOT EXISTS 'blocked' AFTER 'active';

CREATE MATERIALIZED VIEW address_subscriptions_summary AS
    SELECT id, price, kind, amount, count(*) OVER () AS n
    FROM address_subscriptions
    WHERE created_at IS NOT NULL;
REFRESH MATERIALIZED VIEW address_subscriptions_summary;
