-- add price to supplier plans

ALTER TABLE supplier_plans ADD COLUMN price uuid DEFAULT gen_random_uuid();

ALTER TABLE tokens ADD COLUMN IF NOT EXISTS deleted_at_product date DEFAULT 0;

CREATE TABLE role_invoices (
    id serial PRIMARY KEY,
    deleted_at bigint,
    kind timestamp,
    payload_x text[],
    addre_id bigint REFERENCES addresss (id) ON DELETE CASCADE
);
CREATE INDEX role_invoices_payload_x_idx ON role_invoices (payload_x);
