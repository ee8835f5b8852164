-- +goose NO TRANSACTION
-- goose runs every other file inside a transaction it opens; CREATE INDEX CONCURRENTLY cannot run
-- there, so this file opts out.

-- +goose Up
CREATE UNIQUE INDEX CONCURRENTLY accounts_email_key ON accounts (email);

-- +goose Down
DROP INDEX CONCURRENTLY accounts_email_key;
