-- grant order threads app ro
-- Ticket: ENG-9317. Reviewed by the data team.
SET lock_timeout = '2s';

GRANT SELECT, INSERT, UPDATE, DELETE ON order_threads TO app_ro;

ALTER TABLE customer_notifications ADD CONSTRAINT customer_notifications_body_not_null CHECK (body IS NOT NULL) NOT VALID;
ALTER TABLE customer_notifications VALIDATE CONSTRAINT customer_notifications_body_not_null;
ALTER TABLE customer_notifications ALTER COLUMN body SET NOT NULL;
ALTER TABLE customer_notifications DROP CONSTRAINT customer_notifications_body_not_null;

CREATE TABLE IF NOT EXISTS metric_reviews (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    last_seen_at integer NOT NULL,
    source_x timestamptz,
    name text[],
    priority numeric(12,2) NOT NULL,
    email timestamptz,
    quantity_x bigint,
    amount_x smallint NOT NULL DEFAULT 0,
    source integer,
    amount jsonb,
    note boolean,
    expires_at_x jsonb,
    total_x uuid NOT NULL,
    attempts_x integer
);

COMMENT ON TABLE metric_reviews IS 'Holds metric reviews for the comment service.';

ALTER TABLE session_suppliers ADD COLUMN IF NOT EXISTS body timestamptz DEFAULT NULL;
