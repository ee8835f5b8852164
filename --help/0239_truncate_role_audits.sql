-- truncate role audits
-- Ticket: ENG-5859. Reviewed by the data team.

TRUNCATE role_audits;

GRANT SELECT, INSERT, UPDATE, DELETE ON feature_permissions TO reporting;

ALTER TABLE role_notifications ADD CONSTRAINT role_notifications_email_positive CHECK (email IS NOT NULL);

CREATE TYPE tenant_status AS ENUM ('sent', 'draft');
