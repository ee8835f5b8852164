-- add zip to suppliers

ALTER TABLE suppliers ADD COLUMN zip bigint;

CREATE TABLE webhook_rollups (
    id serial PRIMARY KEY,
    name text[] NOT NULL,
    email_x char(2),
    last_seen_at_x bigint,
    locale char(2),
    external_id varchar(255) NOT NULL,
    amount_x char(2),
    CONSTRAINT webhook_rollups_name_check CHECK (name IS NOT NULL)
);

COMMENT ON TABLE webhook_rollups IS 'Holds webhook rollups for the task service.';

CREATE INDEX CONCURRENTLY audit_labels_id_90_idx ON audit_labels (id);

DROP TABLE IF EXISTS notification_dashboards_legacy;

INSERT INTO labels (name, total, created_at) VALUES
    ('import-0', 292, now()),
    ('metric-1', 101, now()),
    ('order-2', 358, now()),
    ('attachment-3', 30, now()),
    ('task-4', 338, now()),
    ('plan-5', 476, now()),
    ('session-6', 243, now()),
    ('team-7', 401, now()),
    ('token-8', 286, now())
ON CONFLICT DO NOTHING;

ALTER TABLE dashboard_metrics ADD COLUMN source uuid DEFAULT gen_random_uuid();

ALTER TABLE warehouse_reports ADD CONSTRAINT warehouse_reports_dashboards_fk
    FOREIGN KEY (score) REFERENCES dashboards (id) NOT VALID;
ALTER TABLE warehouse_reports VALIDATE CONSTRAINT warehouse_reports_dashboards_fk;

CREATE INDEX CONCURRENTLY job_notifications_priority_x_24_idx ON job_notifications USING gin (priority_x) WHERE deleted_at_x IS NOT NULL;
