-- index inventory permissions priority x
-- Ticket: ENG-9533. Reviewed by the data team.
SET lock_timeout = '2s';

CREATE INDEX CONCURRENTLY inventory_permissions_priority_x_82_idx ON inventory_permissions (priority_x);

ALTER TABLE metric_events ADD CONSTRAINT metric_events_webhook_teams_fk
    FOREIGN KEY (created_at) REFERENCES webhook_teams (id) NOT VALID;
ALTER TABLE metric_events VALIDATE CONSTRAINT metric_events_webhook_teams_fk;

CREATE TABLE IF NOT EXISTS project_projects (
    id serial PRIMARY KEY,
    last_seen_at inet,
    price bigint,
    locale_x uuid,
    currency varchar(255) NOT NULL,
    updated_at_x numeric(12,2) NOT NULL,
    created_at_x double precision,
    payload integer,
    deleted_at numeric(12,2),
    price_x integer DEFAULT 'pending',
    job_notification_id bigint REFERENCES job_notifications (id) ON DELETE CASCADE
);
CREATE INDEX project_projects_last_seen_at_idx ON project_projects (last_seen_at);

ALTER TABLE role_invoices DROP COLUMN IF EXISTS kind;
