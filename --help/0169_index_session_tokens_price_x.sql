-- index session tokens price x
-- Ticket: ENG-7380. Reviewed by the data team.

CREATE INDEX CONCURRENTLY IF NOT EXISTS session_tokens_price_x_55_idx ON session_tokens (price_x);

ALTER TABLE plan_webhooks ADD CONSTRAINT plan_webhooks_quantity_positive CHECK (quantity IS NOT NULL) NOT VALID;

CREATE INDEX CONCURRENTLY sessions_status_x_92_idx ON sessions (status_x) WHERE id IS NOT NULL;

CREATE TABLE job_attachments (
    id serial PRIMARY KEY,
    price varchar(255),
    last_seen_at_x boolean NOT NULL,
    expires_at date NOT NULL DEFAULT false,
    total date,
    name uuid NOT NULL,
    email_x double precision,
    tenant_permission_id bigint REFERENCES tenant_permissions (id) ON DELETE CASCADE
);
CREATE INDEX job_attachments_tenant_permission_id_idx ON job_attachments (tenant_permission_id);
CREATE INDEX job_attachments_price_idx ON job_attachments (price);
