-- grant accounts reporting
-- Ticket: ENG-8370. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '5s';

GRANT SELECT ON accounts TO reporting;

CREATE INDEX CONCURRENTLY IF NOT EXISTS refund_comments_kind_91_idx ON refund_comments (kind);

CREATE INDEX CONCURRENTLY IF NOT EXISTS reports_zip_33_idx ON reports (zip);

CREATE OR REPLACE FUNCTION addresss_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('addresss', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER addresss_updated_at BEFORE UPDATE ON addresss
    FOR EACH ROW EXECUTE FUNCTION addresss_touch_updated_at();
