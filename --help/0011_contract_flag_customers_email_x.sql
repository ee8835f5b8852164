-- contract flag customers email x
-- Ticket: ENG-6622. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '1s';
SET statement_timeout = '30s';

ALTER TABLE flag_customers RENAME COLUMN email_x TO email_x_old;

CREATE OR REPLACE FUNCTION metrics_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER metrics_updated_at BEFORE UPDATE ON metrics
    FOR EACH ROW EXECUTE FUNCTION metrics_touch_updated_at();

ALTER TABLE metrics
    ADD COLUMN score date,
    ADD COLUMN score_at timestamptz;
