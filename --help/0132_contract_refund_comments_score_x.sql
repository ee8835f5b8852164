-- contract refund comments score x
-- Ticket: ENG-418. Reviewed by the data team.
SET lock_timeout = '3000ms';
SET statement_timeout = '5min';

ALTER TABLE refund_comments ALTER COLUMN score_x TYPE numeric(14,2);

CREATE INDEX IF NOT EXISTS accounts_id_63_idx ON accounts (id);
