-- Alone in its file on purpose: golang-migrate sends a file as one query, and several statements in
-- one query form an implicit transaction, where CREATE INDEX CONCURRENTLY cannot run.
CREATE UNIQUE INDEX CONCURRENTLY accounts_email_key ON accounts (email);
