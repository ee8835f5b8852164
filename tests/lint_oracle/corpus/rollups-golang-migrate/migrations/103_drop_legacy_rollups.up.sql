-- The hourly rollups replace the daily ones: the backfill must have run first.
DO $$
BEGIN
    IF (SELECT watermark_at FROM backfill_state WHERE name = 'hourly_rollups')
       < (SELECT max(occurred_at) FROM events) - interval '1 hour' THEN
        RAISE EXCEPTION 'hourly rollups backfill has not caught up: refusing to drop the daily rollups';
    END IF;
END $$;

DROP VIEW daily_dashboard;
DROP TABLE daily_rollups;
