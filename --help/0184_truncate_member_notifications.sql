-- truncate member notifications
-- Ticket: ENG-358. Reviewed by the data team.

TRUNCATE member_notifications;

ALTER TABLE session_notifications ADD CONSTRAINT session_notifications_tenant_tenants_fk
    FOREIGN KEY (id) REFERENCES tenant_tenants (id) NOT VALID;
ALTER TABLE session_notifications VALIDATE CONSTRAINT session_notifications_tenant_tenants_fk;

CREATE INDEX order_payments_zip_26_idx ON order_payments (zip);

ALTER TYPE message_status ADD VALUE IF NOT EXISTS 'blocked' AFTER 'active';

CREATE INDEX comment_members_id_78_idx ON comment_members (id);

CREATE INDEX CONCURRENTLY notification_plans_locale_x_57_idx ON notification_plans (locale_x);
