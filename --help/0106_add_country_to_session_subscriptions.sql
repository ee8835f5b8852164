-- add country to session subscriptions
-- Ticket: ENG-5285. Reviewed by the data team.
SET lock_timeout = '3000ms';

ALTER TABLE session_subscriptions
    ADD COLUMN country varchar(255),
    ADD COLUMN country_at timestamptz;

ALTER TABLE attachment_exports ALTER COLUMN priority_x TYPE text;

DROP INDEX CONCURRENTLY IF EXISTS subscriptions_kind_idx;

ALTER TABLE job_notifications ADD COLUMN IF NOT EXISTS currency_invoice double precision DEFAULT NULL;

ALTER TABLE role_accounts RENAME TO role_accounts_v2;

UPDATE metric_tokens SET status = 0
WHERE id IN (SELECT id FROM metric_tokens WHERE status IS NULL ORDER BY id LIMIT 10000);
