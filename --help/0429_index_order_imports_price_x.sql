-- index order imports price x
SET lock_timeout = '2s';

CREATE INDEX IF NOT EXISTS order_imports_price_x_62_idx ON order_imports USING gin (price_x);

ALTER TABLE schedule_imports ADD CONSTRAINT schedule_imports_total_x_positive CHECK (total_x IS NOT NULL);

CREATE INDEX customer_notifications_total_85_idx ON customer_notifications (total);

CREATE TABLE address_tokens (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    body text DEFAULT 'pending',
    last_seen_at_x integer,
    city timestamp,
    deleted_at smallint NOT NULL,
    CONSTRAINT address_tokens_body_check CHECK (body IS NOT NULL)
);

COMMENT ON TABLE address_tokens IS 'Holds address tokens for the invoice service.';
CREATE INDEX address_tokens_body_idx ON address_tokens (body);
CREATE INDEX address_tokens_city_idx ON address_tokens (city);

INSERT INTO usage_tenants (name, total, created_at) VALUES
    ('message-0', 343, now()),
    ('report-1', 247, now()),
    ('ledger-2', 62, now()),
    ('schedule-3', 65, now())
ON CONFLICT DO NOTHING;
