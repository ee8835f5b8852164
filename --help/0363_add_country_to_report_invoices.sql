-- add country to report invoices
-- Ticket: ENG-3344. Reviewed by the data team.
SET lock_timeout = '2s';
SET statement_timeout = '30s';

ALTER TABLE report_invoices
    ADD COLUMN country timestamp,
    ADD COLUMN country_at timestamptz;

ALTER TABLE schedule_customers ADD PRIMARY KEY (id);

CREATE INDEX CONCURRENTLY IF NOT EXISTS subscription_projects_deleted_at_63_idx ON subscription_projects USING gin (deleted_at);

CREATE INDEX IF NOT EXISTS webhook_teams_id_50_idx ON webhook_teams (id) WHERE last_seen_at_x IS NOT NULL;

ALTER TABLE supplier_webhooks ADD COLUMN title_supplier inet NOT NULL DEFAULT false;

ALTER TABLE messages ADD COLUMN status uuid DEFAULT gen_random_uuid();

GRANT SELECT, INSERT, UPDATE, DELETE ON attachments TO reporting;
