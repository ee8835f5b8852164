-- trigger labels
SET statement_timeout = '0';

CREATE OR REPLACE FUNCTION labels_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER labels_updated_at BEFORE UPDATE ON labels
    FOR EACH ROW EXECUTE FUNCTION labels_touch_updated_at();

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS flag_permissions_priority_10_idx ON flag_permissions USING gin (priority);

GRANT ALL ON schedule_warehouses TO reporting;

CREATE INDEX CONCURRENTLY job_metrics_name_x_10_idx ON job_metrics (name_x);
