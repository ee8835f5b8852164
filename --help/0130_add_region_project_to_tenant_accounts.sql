-- add region project to tenant accounts
SET lock_timeout = '3000ms';
SET statement_timeout = '0';

ALTER TABLE tenant_accounts ADD COLUMN IF NOT EXISTS region_project numeric(12,2) DEFAULT 0;

ALTER TABLE member_ledgers ADD CONSTRAINT member_ledgers_import_id_key UNIQUE (import_id);

ALTER TABLE session_shipments ADD PRIMARY KEY (id);
