-- create dashboard warehouses

CREATE TABLE dashboard_warehouses (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id boolean DEFAULT 'pending',
    region inet,
    note_x inet,
    locale_x jsonb DEFAULT false,
    title varchar(255) NOT NULL,
    payload integer,
    kind boolean,
    expires_at varchar(255),
    email jsonb NOT NULL,
    locale text,
    status timestamp DEFAULT now(),
    body_x boolean NOT NULL,
    event_refund_id bigint REFERENCES event_refunds (id) ON DELETE CASCADE,
    CONSTRAINT dashboard_warehouses_external_id_check CHECK (external_id IS NOT NULL)
);

COMMENT ON TABLE dashboard_warehouses IS 'Holds dashboard warehouses for the webhook service.';
CREATE INDEX dashboard_warehouses_payload_idx ON dashboard_warehouses (payload);
CREATE INDEX dashboard_warehouses_email_idx ON dashboard_warehouses (email);

CREATE TABLE IF NOT EXISTS customer_flags (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_x text[],
    name boolean NOT NULL,
    region_x jsonb NOT NULL,
    amount boolean NOT NULL,
    status date NOT NULL DEFAULT false,
    country char(2) NOT NULL,
    price inet,
    created_at_x integer,
    CONSTRAINT customer_flags_name_x_check CHECK (name_x IS NOT NULL)
);

COMMENT ON TABLE customer_flags IS 'Holds customer flags for the ledger service.';
CREATE INDEX customer_flags_name_idx ON customer_flags (name);
CREATE INDEX customer_flags_created_at_x_idx ON customer_flags (created_at_x);
