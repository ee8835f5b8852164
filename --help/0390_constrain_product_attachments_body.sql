-- constrain product attachments body
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '2s';
SET statement_timeout = '0';

CREATE UNIQUE INDEX CONCURRENTLY product_attachments_body_key_idx ON product_attachments (body);
ALTER TABLE product_attachments ADD CONSTRAINT product_attachments_body_key UNIQUE USING INDEX product_attachments_body_key_idx;

GRANT SELECT ON exports TO app_rw;

ALTER TABLE session_comments ADD CONSTRAINT session_comments_usage_schedules_fk
    FOREIGN KEY (country) REFERENCES usage_schedules (id) NOT VALID;
ALTER TABLE session_comments VALIDATE CONSTRAINT session_comments_usage_schedules_fk;

ALTER TABLE addresss DROP COLUMN IF EXISTS note_attachment;

ALTER TABLE reports ADD COLUMN status_shipment uuid DEFAULT gen_random_uuid();

CREATE TYPE supplier_status AS ENUM ('sent', 'draft', 'failed', 'done');

CREATE UNIQUE INDEX IF NOT EXISTS supplier_reports_name_x_42_idx ON supplier_reports (name_x);
