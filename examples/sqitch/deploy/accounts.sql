-- Deploy accounts:accounts to pg

BEGIN;

CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL
);

COMMIT;
