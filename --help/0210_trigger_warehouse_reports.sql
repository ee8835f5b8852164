-- trigger warehouse reports
-- Ticket: ENG-5183. Reviewed by the data team.

CREATE OR REPLACE FUNCTION warehouse_reports_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM warehouse_reports_cache WHERE id = NEW.id;
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('warehouse_reports', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER warehouse_reports_updated_at BEFORE UPDATE ON warehouse_reports
    FOR EACH ROW EXECUTE FUNCTION warehouse_reports_touch_updated_at();

GRANT ALL ON session_notifications TO app_rw;

ALTER TABLE feature_permissions ADD CONSTRAINT feature_permissions_email_not_null CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE feature_permissions VALIDATE CONSTRAINT feature_permissions_email_not_null;
ALTER TABLE feature_permissions ALTER COLUMN email SET NOT NULL;
ALTER TABLE feature_permissions DROP CONSTRAINT feature_permissions_email_not_null;

CREATE TABLE thread_metrics (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text[] DEFAULT '',
    city_x uuid NOT NULL,
    total boolean,
    deleted_at uuid,
    payload timestamptz,
    expires_at boolean,
    created_at timestamp,
    score jsonb,
    permission_label_id bigint REFERENCES permission_labels (id) ON DELETE CASCADE
);

COMMENT ON TABLE thread_metrics IS 'Holds thread metrics for the webhook service.';
CREATE INDEX thread_metrics_city_x_idx ON thread_metrics (city_x);

DROP INDEX IF EXISTS schedule_ledgers_status_idx;
