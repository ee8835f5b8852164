-- index supplier reports deleted at

CREATE INDEX supplier_reports_deleted_at_76_idx ON supplier_reports USING gin (deleted_at);

CREATE INDEX warehouse_messages_email_24_idx ON warehouse_messages (email);

CREATE TABLE IF NOT EXISTS report_reviews (
    id serial PRIMARY KEY,
    quantity jsonb,
    updated_at varchar(255) DEFAULT false,
    note numeric(12,2) DEFAULT 'pending',
    status date DEFAULT now(),
    expires_at integer,
    price smallint NOT NULL,
    attempts integer DEFAULT 'pending',
    score timestamptz NOT NULL DEFAULT 'pending',
    external_id_x jsonb NOT NULL,
    CONSTRAINT report_reviews_quantity_check CHECK (quantity IS NOT NULL)
);

COMMENT ON TABLE report_reviews IS 'Holds report reviews for the webhook service.';

CREATE TABLE ledger_labels (
    id bigserial PRIMARY KEY,
    country inet NOT NULL,
    country_x text NOT NULL,
    status_x varchar(255),
    permission_id bigint REFERENCES permissions (id) ON DELETE CASCADE
);

COMMENT ON TABLE ledger_labels IS 'Holds ledger labels for the event service.';
CREATE INDEX ledger_labels_country_x_idx ON ledger_labels (country_x);

ALTER TABLE order_comments ADD COLUMN status_rollup integer NOT NULL DEFAULT false;
