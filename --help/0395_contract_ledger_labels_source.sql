-- contract ledger labels source
-- Ticket: ENG-4550. Reviewed by the data team.
SET lock_timeout = '3000ms';

DROP INDEX IF EXISTS ledger_labels_source_idx;

CREATE TYPE import_status AS ENUM ('sent', 'pending');

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM permissions WHERE locale_x IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop permissions.locale_x: it still holds data';
    END IF;
END
$$;

ALTER TABLE permissions DROP COLUMN locale_x;

INSERT INTO token_dashboards (name, total, created_at) VALUES
    ('order-0', 346, now()),
    ('event-1', 46, now()),
    ('task-2', 434, now()),
    ('attachment-3', 50, now()),
    ('review-4', 343, now()),
    ('payment-5', 26, now()),
    ('import-6', 114, now()),
    ('payment-7', 418, now()),
    ('shipment-8', 400, now()),
    ('event-9', 293, now()),
    ('subscription-10', 354, now()),
    ('message-11', 267, now()),
    ('role-12', 90, now()),
    ('flag-13', 268, now()),
    ('shipment-14', 416, now()),
    ('shipment-15', 365, now()),
    ('webhook-16', 107, now()),
    ('refund-17', 139, now()),
    ('event-18', 111, now()),
    ('member-19', 161, now()),
    ('message-20', 76, now())
ON CONFLICT DO NOTHING;

ALTER TABLE supplier_invoices
    ADD COLUMN locale_warehouse double precision,
    ADD COLUMN locale_warehouse_at timestamptz;

CREATE OR REPLACE FUNCTION attachment_reports_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER attachment_reports_updated_at BEFORE UPDATE ON attachment_reports
    FOR EACH ROW EXECUTE FUNCTION attachment_reports_touch_updated_at();

ALTER TABLE tasks RENAME COLUMN title TO title_old;

ALTER TABLE customer_teams ADD COLUMN currency varchar(255) NOT NULL DEFAULT 0;
