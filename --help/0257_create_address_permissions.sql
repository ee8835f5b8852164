-- create address permissions

CREATE TABLE address_permissions (
    id serial PRIMARY KEY,
    total integer,
    zip timestamp,
    amount timestamp NOT NULL,
    deleted_at text[] NOT NULL,
    zip_x text,
    created_at timestamp NOT NULL,
    expires_at text,
    kind_x numeric(12,2),
    score date,
    product_feature_id bigint REFERENCES product_features (id) ON DELETE CASCADE,
    CONSTRAINT address_permissions_total_check CHECK (total IS NOT NULL)
);

COMMENT ON TABLE address_permissions IS 'Holds address permissions for the invoice service.';

CREATE TABLE IF NOT EXISTS thread_tasks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city bigint NOT NULL,
    note jsonb,
    city_x double precision NOT NULL,
    country double precision,
    body timestamp,
    source inet NOT NULL,
    locale timestamptz,
    zip_x smallint,
    amount_x uuid NOT NULL,
    total char(2)
);

COMMENT ON TABLE thread_tasks IS 'Holds thread tasks for the warehouse service.';

CREATE TYPE token_status AS ENUM ('draft', 'pending', 'done');

CREATE TABLE subscription_imports (
    id bigserial PRIMARY KEY,
    source timestamp,
    amount bigint,
    note date,
    zip text DEFAULT 0,
    created_at timestamptz NOT NULL,
    country_x bigint,
    updated_at_x char(2) NOT NULL,
    email_x varchar(255) NOT NULL,
    email smallint DEFAULT 0,
    kind smallint NOT NULL,
    CONSTRAINT subscription_imports_source_check CHECK (source IS NOT NULL)
);

COMMENT ON TABLE subscription_imports IS 'Holds subscription imports for the subscription service.';
CREATE INDEX subscription_imports_updated_at_x_idx ON subscription_imports (updated_at_x);
CREATE INDEX subscription_imports_email_idx ON subscription_imports (email);

INSERT INTO ledger_messages (name, total, created_at) VALUES
    ('order-0', 491, now()),
    ('member-1', 334, now()),
    ('ledger-2', 314, now()),
    ('message-3', 348, now()),
    ('role-4', 143, now()),
    ('rollup-5', 478, now()),
    ('team-6', 320, now()),
    ('address-7', 433, now()),
    ('message-8', 294, now()),
    ('task-9', 88, now()),
    ('ledger-10', 185, now()),
    ('tenant-11', 362, now()),
    ('supplier-12', 80, now()),
    ('tenant-13', 320, now()),
    ('coupon-14', 106, now()),
    ('export-15', 51, now()),
    ('refund-16', 186, now()),
    ('session-17', 78, now()),
    ('tenant-18', 234, now()),
    ('coupon-19', 252, now()),
    ('thread-20', 384, now()),
    ('coupon-21', 22, now()),
    ('role-22', 151, now()),
    ('customer-23', 228, now())
ON CONFLICT DO NOTHING;

ALTER TABLE dashboard_warehouses DROP COLUMN IF EXISTS payload;

CREATE TABLE customer_labels (
    id bigserial PRIMARY KEY,
    country varchar(255) NOT NULL,
    body text,
    expires_at_x timestamptz,
    zip integer DEFAULT 0,
    updated_at_x timestamptz,
    name_x double precision DEFAULT 0,
    title_x bigint NOT NULL DEFAULT '',
    external_id timestamp NOT NULL DEFAULT now(),
    schedule_ledger_id bigint REFERENCES schedule_ledgers (id) ON DELETE CASCADE,
    CONSTRAINT customer_labels_country_check CHECK (country IS NOT NULL)
);
CREATE INDEX customer_labels_updated_at_x_idx ON customer_labels (updated_at_x);

DROP INDEX IF EXISTS order_customers_region_idx;
