-- Deploy accounts:accounts_email_index to pg
-- requires: accounts

BEGIN;

CREATE INDEX accounts_email_idx ON accounts (email);

COMMIT;
