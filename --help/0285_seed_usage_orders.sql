-- seed usage orders
-- Ticket: ENG-3821. Reviewed by the data team.

INSERT INTO usage_orders (name, total, created_at) VALUES
    ('ledger-0', 100, now()),
    ('audit-1', 273, now()),
    ('schedule-2', 138, now()),
    ('thread-3', 384, now()),
    ('import-4', 339, now()),
    ('ledger-5', 482, now()),
    ('refund-6', 62, now()),
    ('metric-7', 289, now())
ON CONFLICT DO NOTHING;

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE role_notifications SET score_x = DEFAULT
        WHERE id IN (SELECT id FROM role_notifications WHERE score_x IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION session_suppliers_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER session_suppliers_updated_at BEFORE UPDATE ON session_suppliers
    FOR EACH ROW EXECUTE FUNCTION session_suppliers_touch_updated_at();

CREATE TABLE message_warehouses (
    id bigserial PRIMARY KEY,
    deleted_at timestamptz NOT NULL,
    priority_x date NOT NULL DEFAULT 0,
    source jsonb,
    price_x boolean
);

COMMENT ON TABLE message_warehouses IS 'Holds message warehouses for the message service.';
CREATE INDEX message_warehouses_source_idx ON message_warehouses (source);

CREATE UNIQUE INDEX CONCURRENTLY ledger_messages_total_key_idx ON ledger_messages (total);
ALTER TABLE ledger_messages ADD CONSTRAINT ledger_messages_total_key UNIQUE USING INDEX ledger_messages_total_key_idx;

CREATE OR REPLACE FUNCTION order_customers_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER order_customers_updated_at BEFORE UPDATE ON order_customers
    FOR EACH ROW EXECUTE FUNCTION order_customers_touch_updated_at();

GRANT SELECT, INSERT, UPDATE, DELETE ON warehouse_projects TO reporting;
