-- constrain invoice events id
-- Ticket: ENG-209. Reviewed by the data team.
SET lock_timeout = '3000ms';

ALTER TABLE invoice_events ADD CONSTRAINT invoice_events_id_not_null CHECK (id IS NOT NULL) NOT VALID;
ALTER TABLE invoice_events VALIDATE CONSTRAINT invoice_events_id_not_null;
ALTER TABLE invoice_events ALTER COLUMN id SET NOT NULL;
ALTER TABLE invoice_events DROP CONSTRAINT invoice_events_id_not_null;

CREATE INDEX IF NOT EXISTS roles_city_72_idx ON roles (city);

CREATE UNIQUE INDEX CONCURRENTLY inventory_metrics_warehouse_order_id_key_idx ON inventory_metrics (warehouse_order_id);
ALTER TABLE inventory_metrics ADD CONSTRAINT inventory_metrics_warehouse_order_id_key UNIQUE USING INDEX inventory_metrics_warehouse_order_id_key_idx;

ALTER TABLE warehouses
    ADD COLUMN score_notification numeric(12,2),
    ADD COLUMN score_notification_at timestamptz;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM shipments WHERE deleted_at_x IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop shipments.deleted_at_x: it still holds data';
    END IF;
END
$$;

ALTER TABLE shipments DROP COLUMN deleted_at_x;

ALTER TABLE project_teams ADD COLUMN deleted_at numeric(12,2) NOT NULL DEFAULT 0;

ALTER TABLE members ADD COLUMN amount integer NOT NULL DEFAULT 0;

INSERT INTO export_reports (name, total, created_at) VALUES
    ('message-0', 151, now()),
    ('shipment-1', 214, now()),
    ('payment-2', 64, now()),
    ('task-3', 280, now()),
    ('invoice-4', 380, now()),
    ('team-5', 492, now()),
    ('notification-6', 206, now()),
    ('refund-7', 38, now()),
    ('feature-8', 136, now()),
    ('flag-9', 259, now()),
    ('export-10', 136, now()),
    ('metric-11', 422, now()),
    ('token-12', 4, now()),
    ('supplier-13', 118, now()),
    ('order-14', 238, now()),
    ('feature-15', 417, now())
ON CONFLICT DO NOTHING;
