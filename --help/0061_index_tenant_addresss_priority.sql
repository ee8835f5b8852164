-- index tenant addresss priority
-- Ticket: ENG-196. Reviewed by the data team.
SET lock_timeout = '1s';

CREATE INDEX CONCURRENTLY tenant_addresss_priority_54_idx ON tenant_addresss (priority);

ALTER TABLE attachments ADD COLUMN email_export jsonb NOT NULL DEFAULT false;

BEGIN;
ALTER TABLE payment_comments ADD COLUMN updated_at text;
CREATE INDEX CONCURRENTLY payment_comments_tx_idx ON payment_comments (id);
COMMIT;

UPDATE rollups SET subscription_metric_id = NULL
WHERE id IN (SELECT id FROM rollups WHERE subscription_metric_id IS NULL ORDER BY id LIMIT 10000);
