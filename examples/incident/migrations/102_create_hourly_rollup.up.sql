-- Expand: the hourly rollup that replaces the daily ones. It starts empty; the one-shot
-- backfill_task_usage_hourly fills it from task_usage and records how far it got in the state table.
CREATE TABLE task_usage_hourly_rollup (
    team_id     bigint      NOT NULL,
    hour        timestamptz NOT NULL,
    tasks       bigint      NOT NULL,
    cpu_seconds numeric     NOT NULL,
    PRIMARY KEY (team_id, hour)
);

-- One row: the newest task_usage event the backfill has covered. 1970-01-01 means "never ran".
CREATE TABLE task_usage_hourly_rollup_state (
    id           int         PRIMARY KEY CHECK (id = 1),
    watermark_at timestamptz NOT NULL DEFAULT '1970-01-01 00:00:00+00'
);

INSERT INTO task_usage_hourly_rollup_state (id) VALUES (1);
