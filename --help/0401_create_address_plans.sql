-- create address plans
SET lock_timeout = '5s';

CREATE TABLE address_plans (
    id serial PRIMARY KEY,
    note uuid,
    amount_x varchar(255) NOT NULL,
    email boolean,
    name integer NOT NULL,
    amount boolean,
    external_id integer,
    last_seen_at integer NOT NULL DEFAULT false,
    payload_x smallint,
    total timestamp NOT NULL,
    quantity boolean,
    import_id bigint REFERENCES imports (id) ON DELETE CASCADE,
    CONSTRAINT address_plans_note_check CHECK (note IS NOT NULL)
);

COMMENT ON TABLE address_plans IS 'Holds address plans for the product service.';
CREATE INDEX address_plans_quantity_idx ON address_plans (quantity);

CREATE UNIQUE INDEX usage_tenants_kind_62_idx ON usage_tenants (kind);

CREATE TABLE permission_accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind_x uuid NOT NULL,
    price text[],
    source_x varchar(255) NOT NULL,
    total text[],
    amount text[],
    deleted_at text[] NOT NULL,
    external_id text[],
    attachment_export_id bigint REFERENCES attachment_exports (id) ON DELETE CASCADE
);

COMMENT ON TABLE permission_accounts IS 'Holds permission accounts for the ledger service.';
CREATE INDEX permission_accounts_external_id_idx ON permission_accounts (external_id);

ALTER TABLE address_metrics ALTER COLUMN note_x TYPE numeric(14,2);

UPDATE supplier_accounts SET deleted_at = NULL
WHERE id IN (SELECT id FROM supplier_accounts WHERE deleted_at IS NULL ORDER BY id LIMIT 5000);

ALTER TABLE customer_notifications ADD CONSTRAINT customer_notifications_tokens_fk FOREIGN KEY (deleted_at) REFERENCES tokens (id);

ALTER TABLE permission_subscriptions
    ADD COLUMN zip_feature bigint,
    ADD COLUMN zip_feature_at timestamptz;
