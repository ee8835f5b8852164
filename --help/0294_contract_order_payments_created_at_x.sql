-- contract order payments created at x
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

DROP TABLE IF EXISTS account_inventorys_legacy;

CREATE OR REPLACE VIEW schedule_customers_summary AS
    SELECT id, city_x, total_x, kind_x, count(*) OVER () AS n
    FROM schedule_customers
    WHERE country IS NOT NULL;

ALTER TABLE task_jobs ADD COLUMN source uuid DEFAULT gen_random_uuid();

CREATE UNIQUE INDEX IF NOT EXISTS thread_sessions_note_x_9_idx ON thread_sessions (note_x);
