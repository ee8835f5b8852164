-- purge member ledgers
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '5s';

DELETE FROM member_ledgers;

DROP INDEX IF EXISTS projects_updated_at_warehouse_idx;

CREATE TABLE IF NOT EXISTS payment_notifications (
    id bigserial PRIMARY KEY,
    external_id smallint,
    deleted_at_x numeric(12,2),
    body_x timestamptz,
    email_x uuid NOT NULL,
    country char(2),
    expires_at integer DEFAULT now(),
    currency smallint,
    name_x timestamp,
    source timestamptz,
    quantity inet NOT NULL,
    note boolean,
    review_shipment_id bigint REFERENCES review_shipments (id) ON DELETE CASCADE
);
CREATE INDEX payment_notifications_quantity_idx ON payment_notifications (quantity);
CREATE INDEX payment_notifications_review_shipment_id_idx ON payment_notifications (review_shipment_id);

DROP INDEX CONCURRENTLY IF EXISTS address_permissions_zip_x_idx;
