-- add region to suppliers
-- Ticket: ENG-1918. Reviewed by the data team.
SET statement_timeout = '0';

ALTER TABLE suppliers
    ADD COLUMN region jsonb,
    ADD COLUMN region_at timestamptz;

CREATE INDEX CONCURRENTLY role_accounts_attempts_67_idx ON role_accounts (attempts);
