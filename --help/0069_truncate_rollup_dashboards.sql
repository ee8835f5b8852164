-- truncate rollup dashboards
SET lock_timeout = '2s';

TRUNCATE rollup_dashboards;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM product_invoices WHERE score IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop product_invoices.score: it still holds data';
    END IF;
END
$$;

ALTER TABLE product_invoices DROP COLUMN score;

CREATE OR REPLACE FUNCTION member_teams_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER member_teams_updated_at BEFORE UPDATE ON member_teams
    FOR EACH ROW EXECUTE FUNCTION member_teams_touch_updated_at();

ALTER TABLE team_payments ADD COLUMN status_role bigint;

CREATE TABLE IF NOT EXISTS job_notifications (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    attempts_x varchar(255),
    priority_x uuid NOT NULL,
    currency boolean,
    deleted_at_x double precision NOT NULL DEFAULT '',
    source inet NOT NULL,
    CONSTRAINT job_notifications_attempts_x_check CHECK (attempts_x IS NOT NULL)
);
CREATE INDEX job_notifications_priority_x_idx ON job_notifications (priority_x);
CREATE INDEX job_notifications_deleted_at_x_idx ON job_notifications (deleted_at_x);

GRANT SELECT ON team_reviews TO app_rw;
