-- create dashboards
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '3000ms';
SET statement_timeout = '5min';

CREATE TABLE IF NOT EXISTS dashboards (
    id bigserial PRIMARY KEY,
    quantity integer,
    email_x char(2),
    score text,
    price jsonb,
    total bigint,
    kind text,
    price_x timestamptz,
    zip timestamptz
);
CREATE INDEX dashboards_price_x_idx ON dashboards (price_x);

ALTER TABLE usage_tasks ADD COLUMN last_seen_at_audit uuid DEFAULT gen_random_uuid();
