-- Fill the hourly rollup from every task_usage event, then stamp the watermark with the newest event
-- covered (never now(): an event that arrives later is the worker's job, and the guard in
-- 103_drop_legacy_rollups compares the watermark with the newest event).
BEGIN;

INSERT INTO task_usage_hourly_rollup (team_id, hour, tasks, cpu_seconds)
SELECT team_id, date_trunc('hour', created_at), count(*), sum(cpu_seconds)
FROM task_usage
GROUP BY 1, 2
ON CONFLICT (team_id, hour) DO UPDATE
SET tasks = excluded.tasks, cpu_seconds = excluded.cpu_seconds;

UPDATE task_usage_hourly_rollup_state
SET watermark_at = coalesce(
        greatest((SELECT max(updated_at) FROM task_usage), (SELECT max(created_at) FROM task_usage)),
        watermark_at)
WHERE id = 1;

COMMIT;
