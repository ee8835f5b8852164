-- add price to tenant addresss
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

ALTER TABLE tenant_addresss ADD COLUMN IF NOT EXISTS price jsonb DEFAULT 0;

CREATE INDEX invoice_addresss_last_seen_at_37_idx ON invoice_addresss (last_seen_at);

CREATE MATERIALIZED VIEW usage_labels_summary AS
    SELECT id, priority, price, email, count(*) OVER () AS n
    FROM usage_labels
    WHERE external_id_x IS NOT NULL;

GRANT SELECT ON session_notifications TO app_rw;

ALTER TABLE product_invoices ADD CONSTRAINT product_invoices_body_not_null CHECK (body IS NOT NULL) NOT VALID;
ALTER TABLE product_invoices VALIDATE CONSTRAINT product_invoices_body_not_null;
ALTER TABLE product_invoices ALTER COLUMN body SET NOT NULL;
ALTER TABLE product_invoices DROP CONSTRAINT product_invoices_body_not_null;

CREATE VIEW suppliers_summary AS
    SELECT id, total, attempts, title_x, count(*) OVER () AS n
    FROM suppliers
    WHERE total IS NOT NULL;
