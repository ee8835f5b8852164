-- add created at project to schedule inventorys

ALTER TABLE schedule_inventorys ADD COLUMN created_at_project smallint;

UPDATE warehouse_flags SET country_x = NULL
WHERE id IN (SELECT id FROM warehouse_flags WHERE country_x IS NULL ORDER BY id LIMIT 1000);

ALTER TABLE supplier_reports ADD CONSTRAINT supplier_reports_flag_customers_fk
    FOREIGN KEY (updated_at) REFERENCES flag_customers (id) NOT VALID;
ALTER TABLE supplier_reports VALIDATE CONSTRAINT supplier_reports_flag_customers_fk;

DROP INDEX IF EXISTS warehouse_imports_plan_webhook_id_idx;

CREATE TABLE webhook_payments (
    id bigserial PRIMARY KEY,
    priority smallint,
    title timestamp,
    amount date DEFAULT '',
    expires_at_x double precision,
    status boolean,
    zip text NOT NULL,
    locale double precision,
    last_seen_at varchar(255),
    quantity text[] NOT NULL
);

CREATE INDEX CONCURRENTLY IF NOT EXISTS flag_refunds_id_2_idx ON flag_refunds (id);

TRUNCATE shipment_refunds;

ALTER TABLE order_payments ALTER COLUMN id TYPE text;
