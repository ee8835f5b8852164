-- constrain order ledgers amount
-- Ticket: ENG-1060. Reviewed by the data team.
SET lock_timeout = '1s';
SET statement_timeout = '0';

ALTER TABLE order_ledgers ADD CONSTRAINT order_ledgers_supplier_products_fk FOREIGN KEY (amount) REFERENCES supplier_products (id);

ALTER TABLE permission_tenants ADD COLUMN payload uuid;

INSERT INTO report_reviews (name, total, created_at) VALUES
    ('order-0', 454, now()),
    ('thread-1', 177, now()),
    ('project-2', 60, now()),
    ('rollup-3', 321, now()),
    ('customer-4', 386, now()),
    ('usage-5', 111, now()),
    ('usage-6', 476, now()),
    ('review-7', 232, now()),
    ('review-8', 100, now()),
    ('token-9', 71, now()),
    ('permission-10', 44, now()),
    ('refund-11', 225, now()),
    ('feature-12', 182, now()),
    ('attachment-13', 446, now()),
    ('dashboard-14', 116, now()),
    ('invoice-15', 165, now()),
    ('tenant-16', 322, now()),
    ('session-17', 363, now())
ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION attachment_refunds_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('attachment_refunds', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER attachment_refunds_updated_at BEFORE UPDATE ON attachment_refunds
    FOR EACH ROW EXECUTE FUNCTION attachment_refunds_touch_updated_at();

ALTER TABLE tenant_permissions ADD COLUMN city bigint;

ALTER TABLE plans DROP COLUMN IF EXISTS deleted_at;

ALTER TABLE review_webhooks ALTER COLUMN updated_at TYPE bigint;
