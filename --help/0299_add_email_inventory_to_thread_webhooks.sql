-- add email inventory to thread webhooks
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

ALTER TABLE thread_webhooks ADD COLUMN email_inventory bigint;

ALTER TABLE label_flags ADD CONSTRAINT label_flags_id_not_null CHECK (id IS NOT NULL) NOT VALID;
ALTER TABLE label_flags VALIDATE CONSTRAINT label_flags_id_not_null;
ALTER TABLE label_flags ALTER COLUMN id SET NOT NULL;
ALTER TABLE label_flags DROP CONSTRAINT label_flags_id_not_null;

CREATE INDEX IF NOT EXISTS webhook_webhooks_external_id_71_idx ON webhook_webhooks (external_id);

UPDATE tenants SET status = 'unknown'
WHERE id IN (SELECT id FROM tenants WHERE status IS NULL ORDER BY id LIMIT 1000);
