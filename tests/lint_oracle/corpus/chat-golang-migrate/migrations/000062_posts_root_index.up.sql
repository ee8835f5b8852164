-- nolint:concurrentIndex
CREATE INDEX IF NOT EXISTS idx_posts_root_id_delete_at ON posts (rootid);
ALTER TABLE channels DROP COLUMN IF EXISTS totalmsgcountroot;
ALTER TABLE channels ADD COLUMN IF NOT EXISTS totalmsgcountroot bigint;
UPDATE channels SET totalmsgcountroot = totalmsgcount WHERE totalmsgcountroot IS NULL;
