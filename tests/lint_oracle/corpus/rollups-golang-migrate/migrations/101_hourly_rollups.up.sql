CREATE TABLE hourly_rollups (
    tenant_id integer NOT NULL,
    hour timestamptz NOT NULL,
    kind text NOT NULL,
    total bigint NOT NULL,
    PRIMARY KEY (tenant_id, hour, kind)
);

CREATE TABLE backfill_state (
    name text PRIMARY KEY,
    watermark_at timestamptz NOT NULL DEFAULT '1970-01-01 00:00:00+00'
);

INSERT INTO backfill_state (name) VALUES ('hourly_rollups');

CREATE OR REPLACE FUNCTION rollup_day(d date) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(total), 0) FROM daily_rollups WHERE day = d
$$;
