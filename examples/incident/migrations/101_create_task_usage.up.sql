-- The usage events every rollup is computed from, and the daily rollups the worker has kept since launch.
CREATE TABLE task_usage (
    id          bigserial   PRIMARY KEY,
    team_id     bigint      NOT NULL,
    task_id     bigint      NOT NULL,
    cpu_seconds numeric     NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz
);

-- The newest event is max(coalesce(updated_at, created_at)): two index lookups, not a scan.
CREATE INDEX task_usage_created_at_idx ON task_usage (created_at);
CREATE INDEX task_usage_updated_at_idx ON task_usage (updated_at);

CREATE TABLE task_usage_daily_rollup (
    team_id     bigint  NOT NULL,
    day         date    NOT NULL,
    tasks       bigint  NOT NULL,
    cpu_seconds numeric NOT NULL,
    PRIMARY KEY (team_id, day)
);

CREATE TABLE task_usage_daily_totals (
    day         date    PRIMARY KEY,
    tasks       bigint  NOT NULL,
    cpu_seconds numeric NOT NULL
);
