-- add source to ledger labels
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '2s';

ALTER TABLE ledger_labels ADD COLUMN IF NOT EXISTS source numeric(12,2) DEFAULT false;

ALTER TABLE threads ADD CONSTRAINT threads_features_fk FOREIGN KEY (subscription_attachment_id) REFERENCES features (id);

VACUUM FULL subscription_tasks;

ALTER TABLE session_tokens RENAME COLUMN deleted_at TO deleted_at_old;
