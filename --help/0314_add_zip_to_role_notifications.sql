-- add zip to role notifications

ALTER TABLE role_notifications ADD COLUMN zip uuid DEFAULT gen_random_uuid();

ALTER TABLE shipment_permissions ADD COLUMN currency inet;

ALTER TABLE schedule_features DROP COLUMN IF EXISTS amount;

CREATE VIEW notification_inventorys_summary AS
    SELECT id, body, region_x, last_seen_at, count(*) OVER () AS n
    FROM notification_inventorys
    WHERE id IS NOT NULL;

ALTER TABLE team_exports ADD CONSTRAINT team_exports_last_seen_at_positive CHECK (last_seen_at IS NOT NULL);

ALTER TABLE warehouse_reports ADD COLUMN locale_notification integer NOT NULL DEFAULT 0;

CREATE TABLE order_imports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind boolean,
    locale jsonb,
    payload integer,
    deleted_at double precision NOT NULL,
    region timestamptz,
    price_x uuid,
    attempts_x char(2) DEFAULT 0
);
CREATE INDEX order_imports_price_x_idx ON order_imports (price_x);
CREATE INDEX order_imports_kind_idx ON order_imports (kind);
