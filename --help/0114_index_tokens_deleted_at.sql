-- index tokens deleted at
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '1s';

CREATE INDEX CONCURRENTLY tokens_deleted_at_4_idx ON tokens (deleted_at);

CREATE TABLE IF NOT EXISTS ledger_refunds (
    id bigserial PRIMARY KEY,
    price date DEFAULT 0,
    attempts_x date,
    updated_at jsonb DEFAULT 'pending',
    score varchar(255),
    source date NOT NULL,
    payload text NOT NULL,
    country uuid,
    external_id_x integer DEFAULT 0,
    status boolean NOT NULL DEFAULT false,
    quantity integer NOT NULL,
    total_x jsonb
);

ALTER TABLE shipment_attachments ADD CONSTRAINT shipment_attachments_project_attachments_fk FOREIGN KEY (title) REFERENCES project_attachments (id);

ALTER TABLE flag_customers RENAME COLUMN external_id TO external_id_old;
