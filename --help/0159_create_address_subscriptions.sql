-- create address subscriptions
-- Ticket: ENG-3943. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE TABLE IF NOT EXISTS address_subscriptions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    price date,
    kind bigint,
    amount text[] NOT NULL,
    created_at bigint NOT NULL,
    status inet,
    payload date,
    city boolean,
    country boolean NOT NULL,
    priority bigint NOT NULL,
    kind_x numeric(12,2),
    expires_at varchar(255),
    currency text[],
    session_notification_id bigint REFERENCES session_notifications (id) ON DELETE CASCADE
);
CREATE INDEX address_subscriptions_priority_idx ON address_subscriptions (priority);
CREATE INDEX address_subscriptions_kind_idx ON address_subscriptions (kind);

DROP INDEX CONCURRENTLY IF EXISTS refund_comments_currency_x_idx;
