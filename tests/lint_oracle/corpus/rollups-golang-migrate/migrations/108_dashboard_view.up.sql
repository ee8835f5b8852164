DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_views WHERE viewname = 'daily_dashboard') THEN
        DROP VIEW daily_dashboard;
    END IF;
END $$;

CREATE OR REPLACE VIEW hourly_dashboard AS
SELECT date_trunc('day', hour) AS day, sum(total) AS total FROM hourly_rollups GROUP BY 1;

-- preflight: ignore ban-drop-table events are archived to object storage by the export job (OPS-412)
DROP TABLE IF EXISTS events_archive;
