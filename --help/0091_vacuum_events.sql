-- vacuum events
SET lock_timeout = '5s';

VACUUM FULL events;

GRANT SELECT, INSERT, UPDATE, DELETE ON warehouse_imports TO app_ro;

CREATE TABLE IF NOT EXISTS product_metrics (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    country date,
    attempts integer,
    total_x uuid NOT NULL,
    name integer,
    created_at double precision,
    locale_x inet,
    kind integer,
    payload text[] NOT NULL,
    note_x char(2) DEFAULT 'pending',
    inventory_metric_id bigint REFERENCES inventory_metrics (id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS import_orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status integer NOT NULL,
    amount varchar(255) NOT NULL,
    expires_at char(2) NOT NULL,
    source text[],
    quantity jsonb,
    kind_x timestamp,
    city_x inet NOT NULL,
    locale uuid NOT NULL,
    created_at inet NOT NULL,
    CONSTRAINT import_orders_status_check CHECK (status IS NOT NULL)
);

CREATE INDEX export_usages_refund_rollup_id_23_idx ON export_usages (refund_rollup_id);

ALTER TABLE subscription_tasks ALTER COLUMN kind TYPE numeric(14,2);

ALTER TABLE product_invoices ADD CONSTRAINT product_invoices_sessions_fk
    FOREIGN KEY (score) REFERENCES sessions (id) NOT VALID;
ALTER TABLE product_invoices VALIDATE CONSTRAINT product_invoices_sessions_fk;

DELETE FROM member_teams;
