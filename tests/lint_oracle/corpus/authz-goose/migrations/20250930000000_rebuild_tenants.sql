-- +goose Up
-- +goose StatementBegin
-- rebuild the table with the new column in place: copy, drop, rename
CREATE TABLE tenants_tmp (
    id VARCHAR NOT NULL PRIMARY KEY,
    name VARCHAR NOT NULL,
    created_at TIMESTAMP DEFAULT (now() AT TIME ZONE 'UTC') NOT NULL,
    plan VARCHAR NOT NULL DEFAULT 'free'
);

INSERT INTO tenants_tmp (id, name, created_at) SELECT id, name, created_at FROM tenants;

DROP TABLE tenants;

ALTER TABLE tenants_tmp RENAME TO tenants;
-- +goose StatementEnd

-- +goose Down
