-- index order comments last seen at x
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE UNIQUE INDEX CONCURRENTLY order_comments_last_seen_at_x_21_idx ON order_comments USING gin (last_seen_at_x);

ALTER TABLE metric_refunds
    ADD COLUMN attempts_subscription double precision,
    ADD COLUMN attempts_subscription_at timestamptz;

BEGIN;
ALTER TABLE customer_notifications ADD COLUMN zip text;
CREATE INDEX CONCURRENTLY customer_notifications_tx_idx ON customer_notifications (id);
COMMIT;

CREATE INDEX CONCURRENTLY IF NOT EXISTS session_subscriptions_last_seen_at_58_idx ON session_subscriptions (last_seen_at);
