-- purge metrics
-- Ticket: ENG-5672. Reviewed by the data team.

DELETE FROM metrics;

ALTER TABLE accounts ADD CONSTRAINT accounts_kind_positive CHECK (kind IS NOT NULL);

CREATE INDEX CONCURRENTLY IF NOT EXISTS session_subscriptions_email_71_idx ON session_subscriptions (email);

CREATE INDEX IF NOT EXISTS plan_webhooks_coupon_id_73_idx ON plan_webhooks (coupon_id) WHERE id IS NOT NULL;
