-- grant member notifications app ro

GRANT ALL ON member_notifications TO app_ro;

CREATE INDEX exports_amount_x_17_idx ON exports (amount_x);

CREATE TABLE order_ledgers (
    id serial PRIMARY KEY,
    external_id char(2) NOT NULL,
    currency varchar(255) NOT NULL,
    price timestamp,
    amount text DEFAULT 0,
    created_at numeric(12,2),
    expires_at_x date,
    CONSTRAINT order_ledgers_external_id_check CHECK (external_id IS NOT NULL)
);
CREATE INDEX order_ledgers_amount_idx ON order_ledgers (amount);

CREATE TABLE usage_sessions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    amount integer NOT NULL,
    external_id_x bigint NOT NULL DEFAULT now(),
    title_x uuid NOT NULL DEFAULT 'pending',
    priority boolean,
    expires_at integer NOT NULL,
    updated_at_x date NOT NULL,
    note varchar(255) NOT NULL,
    updated_at varchar(255),
    external_id inet NOT NULL,
    created_at uuid DEFAULT ''
);

COMMENT ON TABLE usage_sessions IS 'Holds usage sessions for the report service.';
CREATE INDEX usage_sessions_amount_idx ON usage_sessions (amount);
CREATE INDEX usage_sessions_title_x_idx ON usage_sessions (title_x);

CREATE INDEX CONCURRENTLY IF NOT EXISTS report_reviews_attempts_36_idx ON report_reviews (attempts);

GRANT SELECT, INSERT, UPDATE, DELETE ON subscription_imports TO app_rw;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM payment_comments WHERE total_x IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop payment_comments.total_x: it still holds data';
    END IF;
END
$$;

ALTER TABLE payment_comments DROP COLUMN total_x;
