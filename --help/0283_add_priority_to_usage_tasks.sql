-- add priority to usage tasks
SET lock_timeout = '5s';

ALTER TABLE usage_tasks ADD COLUMN IF NOT EXISTS priority smallint DEFAULT 0;

CREATE INDEX teams_payload_x_22_idx ON teams (payload_x);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM coupon_reports WHERE note_x IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop coupon_reports.note_x: it still holds data';
    END IF;
END
$$;

ALTER TABLE coupon_reports DROP COLUMN note_x;

CREATE TABLE IF NOT EXISTS address_addresss (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    zip varchar(255) NOT NULL,
    priority double precision NOT NULL,
    name_x uuid,
    last_seen_at smallint NOT NULL DEFAULT now(),
    updated_at_x integer NOT NULL,
    session_subscription_id bigint REFERENCES session_subscriptions (id) ON DELETE CASCADE
);
CREATE INDEX address_addresss_session_subscription_id_idx ON address_addresss (session_subscription_id);
CREATE INDEX address_addresss_last_seen_at_idx ON address_addresss (last_seen_at);

CREATE TYPE notification_status AS ENUM ('draft', 'paused');

CREATE TYPE import_status AS ENUM ('done', 'paused', 'sent', 'draft');

CREATE INDEX CONCURRENTLY IF NOT EXISTS role_comments_quantity_81_idx ON role_comments (quantity);

ALTER TABLE attachment_metrics ADD COLUMN IF NOT EXISTS total inet DEFAULT NULL;
