-- vacuum invoice metrics
-- Ticket: ENG-4068. Reviewed by the data team.
SET statement_timeout = '5min';

VACUUM FULL invoice_metrics;

ALTER TABLE account_teams
    ADD COLUMN external_id jsonb,
    ADD COLUMN external_id_at timestamptz;
