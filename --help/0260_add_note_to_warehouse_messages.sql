-- add note to warehouse messages
-- Ticket: ENG-8095. Reviewed by the data team.
SET lock_timeout = '2s';

ALTER TABLE warehouse_messages ADD COLUMN note uuid DEFAULT gen_random_uuid();

CREATE MATERIALIZED VIEW customers_summary AS
    SELECT id, payload, locale, amount, count(*) OVER () AS n
    FROM customers
    WHERE updated_at_thread IS NOT NULL;

ALTER TABLE session_suppliers ADD COLUMN IF NOT EXISTS last_seen_at_inventory inet DEFAULT NULL;
