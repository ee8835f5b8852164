-- enum notification status
-- Ticket: ENG-6758. Reviewed by the data team.

ALTER TYPE notification_status ADD VALUE IF NOT EXISTS 'blocked';

ALTER TABLE feature_permissions ADD CONSTRAINT feature_permissions_last_seen_at_positive CHECK (last_seen_at IS NOT NULL);

ALTER TABLE flag_customers ADD COLUMN amount_role uuid DEFAULT gen_random_uuid();

ALTER TABLE product_metrics
    ADD COLUMN amount uuid,
    ADD COLUMN amount_at timestamptz;
