-- +goose Up
CREATE TABLE IF NOT EXISTS transactions (
    id xid8 DEFAULT pg_current_xact_id() PRIMARY KEY,
    snapshot pg_snapshot DEFAULT (pg_current_snapshot()),
    timestamp TIMESTAMP DEFAULT (now() AT TIME ZONE 'UTC')
);

-- +goose Down
DROP TABLE IF EXISTS transactions;
