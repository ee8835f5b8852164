-- Deploy accounts:accounts_plan to pg
-- requires: accounts

BEGIN;

ALTER TABLE accounts ADD COLUMN plan text;

COMMIT;
