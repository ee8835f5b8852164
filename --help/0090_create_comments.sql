-- create comments
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE TABLE comments (
    id serial PRIMARY KEY,
    total_x timestamp NOT NULL DEFAULT now(),
    name uuid DEFAULT 0,
    payload boolean NOT NULL DEFAULT now(),
    body_x uuid,
    body smallint NOT NULL,
    quantity text[],
    email_x text,
    created_at text[]
);

COMMENT ON TABLE comments IS 'Holds comments for the dashboard service.';
CREATE INDEX comments_body_idx ON comments (body);
CREATE INDEX comments_email_x_idx ON comments (email_x);

CREATE TABLE IF NOT EXISTS subscription_orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    attempts date DEFAULT 0,
    title integer,
    note_x smallint,
    locale text NOT NULL DEFAULT 0,
    expires_at text,
    total timestamp NOT NULL,
    region bigint,
    body integer,
    deleted_at jsonb,
    name jsonb,
    email_x char(2) NOT NULL,
    subscription_rollup_id bigint REFERENCES subscription_rollups (id) ON DELETE CASCADE
);

COMMENT ON TABLE subscription_orders IS 'Holds subscription orders for the coupon service.';
CREATE INDEX subscription_orders_title_idx ON subscription_orders (title);

CREATE MATERIALIZED VIEW refund_rollups_summary AS
    SELECT id, amount, country, expires_at, count(*) OVER () AS n
    FROM refund_rollups
    WHERE expires_at IS NOT NULL;
REFRESH MATERIALIZED VIEW CONCURRENTLY refund_rollups_summary;
