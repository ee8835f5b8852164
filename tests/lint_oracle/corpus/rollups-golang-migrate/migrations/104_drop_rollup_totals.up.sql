-- no guard here
DROP TABLE daily_rollup_totals;
CREATE OR REPLACE FUNCTION rollup_day(d date) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(total), 0) FROM hourly_rollups WHERE hour >= d AND hour < d + 1
$$;
