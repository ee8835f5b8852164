-- create event labels
SET lock_timeout = '1s';

CREATE TABLE IF NOT EXISTS event_labels (
    id serial PRIMARY KEY,
    kind_x char(2),
    priority varchar(255) NOT NULL,
    note_x bigint
);
CREATE INDEX event_labels_note_x_idx ON event_labels (note_x);
CREATE INDEX event_labels_kind_x_idx ON event_labels (kind_x);

ALTER TABLE usages
    ADD COLUMN email_session uuid,
    ADD COLUMN email_session_at timestamptz;

ALTER TABLE address_metrics ADD COLUMN total_thread smallint;

CREATE INDEX IF NOT EXISTS token_schedules_region_37_idx ON token_schedules (region) WHERE city IS NOT NULL;

ALTER TABLE address_subscriptions ADD CONSTRAINT address_subscriptions_payload_positive CHECK (payload IS NOT NULL);

ALTER TABLE supplier_reports ADD CONSTRAINT supplier_reports_team_usages_fk
    FOREIGN KEY (expires_at) REFERENCES team_usages (id) NOT VALID;
ALTER TABLE supplier_reports VALIDATE CONSTRAINT supplier_reports_team_usages_fk;

CREATE INDEX CONCURRENTLY job_notifications_priority_x_51_idx ON job_notifications (priority_x);
