-- Contract, part 2: from this release on the hourly rollup is the source of truth, so its state row must say
-- that the backfill ran. A watermark still at its 1970-01-01 default means it never did: adding the constraint
-- checks the row, and refuses it (the migration fails mid-rollout, and golang-migrate is left dirty).
ALTER TABLE task_usage_hourly_rollup_state
    ADD CONSTRAINT task_usage_hourly_rollup_state_backfilled
    CHECK (watermark_at > timestamptz '1970-01-01 00:00:00+00');
