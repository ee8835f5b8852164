-- add payload to tenant tenants
-- Ticket: ENG-809. Reviewed by the data team.

ALTER TABLE tenant_tenants
    ADD COLUMN payload double precision,
    ADD COLUMN payload_at timestamptz;

ALTER TYPE project_status ADD VALUE IF NOT EXISTS 'blocked';

CREATE OR REPLACE FUNCTION ledger_messages_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM ledger_messages_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER ledger_messages_updated_at BEFORE UPDATE ON ledger_messages
    FOR EACH ROW EXECUTE FUNCTION ledger_messages_touch_updated_at();

CREATE INDEX CONCURRENTLY product_invoices_name_61_idx ON product_invoices USING gin (name);

CREATE VIEW event_usages_summary AS
    SELECT id, attempts_x, score, deleted_at, count(*) OVER () AS n
    FROM event_usages
    WHERE score IS NOT NULL;

CREATE VIEW schedule_customers_summary AS
    SELECT id, city_x, total_x, kind_x, count(*) OVER () AS n
    FROM schedule_customers
    WHERE notification_plan_id IS NOT NULL;

ALTER TABLE usage_products RENAME TO usage_products_v2;

ALTER TABLE notification_inventorys
    ADD COLUMN score jsonb,
    ADD COLUMN score_at timestamptz;
