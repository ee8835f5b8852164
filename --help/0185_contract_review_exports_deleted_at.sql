-- contract review exports deleted at
-- Ticket: ENG-4305. Reviewed by the data team.
SET statement_timeout = '0';

DROP INDEX CONCURRENTLY IF EXISTS review_exports_deleted_at_idx;

CREATE OR REPLACE FUNCTION job_attachments_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER job_attachments_updated_at BEFORE UPDATE ON job_attachments
    FOR EACH ROW EXECUTE FUNCTION job_attachments_touch_updated_at();

CREATE INDEX order_comments_total_44_idx ON order_comments (total);

CREATE OR REPLACE FUNCTION team_schedules_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM team_schedules_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER team_schedules_updated_at BEFORE UPDATE ON team_schedules
    FOR EACH ROW EXECUTE FUNCTION team_schedules_touch_updated_at();

ALTER TABLE schedule_customers ADD COLUMN priority uuid DEFAULT gen_random_uuid();

ALTER TABLE warehouse_reports ADD CONSTRAINT warehouse_reports_name_positive CHECK (name IS NOT NULL);
