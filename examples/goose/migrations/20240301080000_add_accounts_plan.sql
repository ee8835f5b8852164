-- +goose Up
SET LOCAL lock_timeout = '5s';
ALTER TABLE accounts ADD COLUMN plan text;

-- +goose Down
ALTER TABLE accounts DROP COLUMN plan;
