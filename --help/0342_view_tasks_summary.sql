-- view tasks summary
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '3000ms';

CREATE MATERIALIZED VIEW tasks_summary AS
    SELECT id, title, priority, currency_x, count(*) OVER () AS n
    FROM tasks
    WHERE title IS NOT NULL;
REFRESH MATERIALIZED VIEW tasks_summary;

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

ALTER TABLE supplier_reports ADD COLUMN IF NOT EXISTS currency timestamp DEFAULT NULL;

CREATE OR REPLACE VIEW subscription_reviews_summary AS
    SELECT id, country, email, region, count(*) OVER () AS n
    FROM subscription_reviews
    WHERE payload IS NOT NULL;

CREATE UNIQUE INDEX CONCURRENTLY webhook_suppliers_payload_key_idx ON webhook_suppliers (payload);
ALTER TABLE webhook_suppliers ADD CONSTRAINT webhook_suppliers_payload_key UNIQUE USING INDEX webhook_suppliers_payload_key_idx;

CREATE TABLE IF NOT EXISTS order_refunds (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at text[] DEFAULT 'pending',
    expires_at_x varchar(255) DEFAULT now(),
    priority char(2),
    ledger_id bigint REFERENCES ledgers (id) ON DELETE CASCADE
);

COMMENT ON TABLE order_refunds IS 'Holds order refunds for the metric service.';

CREATE TABLE export_events (
    id serial PRIMARY KEY,
    currency_x date NOT NULL,
    name_x jsonb NOT NULL,
    source varchar(255) NOT NULL DEFAULT false,
    priority inet,
    created_at_x smallint,
    body_x boolean DEFAULT 0
);

COMMENT ON TABLE export_events IS 'Holds export events for the feature service.';
CREATE INDEX export_events_body_x_idx ON export_events (body_x);

ALTER TABLE order_customers ADD COLUMN currency varchar(255);
