-- Contract: the daily rollups go away once the hourly rollup has been backfilled.
--
-- Fail closed: refuse to run unless the backfill watermark has caught up with the newest task_usage
-- event. In the incident this migration had no guard, ran on container start (`migrate up`) before
-- anyone had run the backfill, and the daily history was gone.
DO $guard$
DECLARE
    watermark timestamptz;
    newest    timestamptz;
BEGIN
    SELECT watermark_at INTO watermark FROM task_usage_hourly_rollup_state WHERE id = 1;
    SELECT greatest((SELECT max(updated_at) FROM task_usage), (SELECT max(created_at) FROM task_usage))
      INTO newest;
    IF newest IS NOT NULL AND (watermark IS NULL OR watermark < newest - interval '1 hour') THEN
        RAISE EXCEPTION 'refusing to drop the daily rollups: the hourly backfill watermark (%) is behind the newest task_usage event (%); run backfill_task_usage_hourly first',
            coalesce(watermark::text, 'missing'), newest;
    END IF;
END
$guard$;

SET lock_timeout = '5s';
SET statement_timeout = '1min';

DROP TABLE task_usage_daily_rollup;
DROP TABLE task_usage_daily_totals;
