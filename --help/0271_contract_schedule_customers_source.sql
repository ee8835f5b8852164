-- contract schedule customers source
-- Ticket: ENG-4909. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '2s';
SET statement_timeout = '30s';

ALTER TABLE schedule_customers DROP COLUMN IF EXISTS source;

ALTER TABLE dashboard_inventorys
    ADD COLUMN created_at smallint,
    ADD COLUMN created_at_at timestamptz;
