-- create session tokens
SET lock_timeout = '1s';

CREATE TABLE session_tokens (
    id serial PRIMARY KEY,
    quantity timestamp,
    kind timestamp,
    amount numeric(12,2) NOT NULL,
    updated_at text[],
    price_x numeric(12,2),
    region integer,
    deleted_at bigint
);
CREATE INDEX session_tokens_deleted_at_idx ON session_tokens (deleted_at);
CREATE INDEX session_tokens_updated_at_idx ON session_tokens (updated_at);

ALTER TABLE refund_comments
    ADD COLUMN price_notification varchar(255),
    ADD COLUMN price_notification_at timestamptz;

ALTER TABLE customer_notifications ADD PRIMARY KEY (id);

CREATE TABLE audit_labels (
    id serial PRIMARY KEY,
    price varchar(255) NOT NULL,
    note varchar(255),
    amount boolean NOT NULL,
    city jsonb DEFAULT now(),
    body numeric(12,2) NOT NULL,
    title_x inet NOT NULL DEFAULT false,
    currency text,
    deleted_at text,
    priority boolean,
    country text,
    quantity_x text
);
CREATE INDEX audit_labels_quantity_x_idx ON audit_labels (quantity_x);
CREATE INDEX audit_labels_deleted_at_idx ON audit_labels (deleted_at);

CREATE TABLE IF NOT EXISTS report_flags (
    id bigserial PRIMARY KEY,
    source bigint,
    priority bigint,
    created_at integer NOT NULL,
    supplier_account_id bigint REFERENCES supplier_accounts (id) ON DELETE CASCADE,
    CONSTRAINT report_flags_source_check CHECK (source IS NOT NULL)
);

COMMENT ON TABLE report_flags IS 'Holds report flags for the export service.';
CREATE INDEX report_flags_priority_idx ON report_flags (priority);
CREATE INDEX report_flags_source_idx ON report_flags (source);

ALTER TABLE review_exports ADD COLUMN country_comment inet NOT NULL DEFAULT '';
