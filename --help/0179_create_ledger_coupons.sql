-- create ledger coupons
SET lock_timeout = '2s';
SET statement_timeout = '5min';

CREATE TABLE IF NOT EXISTS ledger_coupons (
    id serial PRIMARY KEY,
    priority varchar(255),
    kind_x timestamptz NOT NULL,
    last_seen_at_x numeric(12,2) DEFAULT false,
    deleted_at boolean NOT NULL,
    currency_x jsonb NOT NULL,
    email timestamptz,
    currency inet DEFAULT '',
    expires_at_x double precision NOT NULL,
    payload_x text[] DEFAULT 0,
    created_at text,
    metric_refund_id bigint REFERENCES metric_refunds (id) ON DELETE CASCADE
);

COMMENT ON TABLE ledger_coupons IS 'Holds ledger coupons for the warehouse service.';
CREATE INDEX ledger_coupons_kind_x_idx ON ledger_coupons (kind_x);

CREATE TABLE IF NOT EXISTS flag_refunds (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    attempts inet DEFAULT now(),
    amount double precision,
    body smallint NOT NULL,
    created_at_x timestamp NOT NULL DEFAULT 0,
    status bigint DEFAULT 0,
    created_at text[] DEFAULT 'pending',
    country smallint,
    kind inet DEFAULT false
);

COMMENT ON TABLE flag_refunds IS 'Holds flag refunds for the address service.';
CREATE INDEX flag_refunds_country_idx ON flag_refunds (country);
CREATE INDEX flag_refunds_attempts_idx ON flag_refunds (attempts);

ALTER TABLE review_sessions ADD CONSTRAINT review_sessions_status_x_not_null CHECK (status_x IS NOT NULL) NOT VALID;
ALTER TABLE review_sessions VALIDATE CONSTRAINT review_sessions_status_x_not_null;
ALTER TABLE review_sessions ALTER COLUMN status_x SET NOT NULL;
ALTER TABLE review_sessions DROP CONSTRAINT review_sessions_status_x_not_null;

INSERT INTO shipments (name, total, created_at) VALUES
    ('thread-0', 142, now()),
    ('schedule-1', 80, now()),
    ('usage-2', 388, now()),
    ('coupon-3', 161, now()),
    ('order-4', 170, now()),
    ('invoice-5', 209, now()),
    ('payment-6', 84, now()),
    ('customer-7', 253, now())
ON CONFLICT DO NOTHING;
