CREATE TABLE events (
    id bigserial PRIMARY KEY,
    tenant_id integer NOT NULL,
    kind text NOT NULL,
    occurred_at timestamptz NOT NULL
);

CREATE TABLE daily_rollups (
    tenant_id integer NOT NULL,
    day date NOT NULL,
    kind text NOT NULL,
    total bigint NOT NULL,
    PRIMARY KEY (tenant_id, day, kind)
);

CREATE TABLE daily_rollup_totals (
    day date PRIMARY KEY,
    total bigint NOT NULL
);

CREATE VIEW daily_dashboard AS
SELECT r.day, sum(r.total) AS total FROM daily_rollups r GROUP BY r.day;
