-- add amount to permission subscriptions

ALTER TABLE permission_subscriptions ADD COLUMN amount varchar(255) NOT NULL DEFAULT 0;

CREATE INDEX address_plans_total_38_idx ON address_plans (total);

ALTER TABLE flag_permissions DROP COLUMN IF EXISTS updated_at_x;

CREATE INDEX CONCURRENTLY role_notifications_price_x_66_idx ON role_notifications (price_x);
