-- The daily history cannot be brought back by a down migration: restore it from a backup.
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
