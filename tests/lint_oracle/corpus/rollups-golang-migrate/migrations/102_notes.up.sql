CREATE TABLE legacy_notes (
    id bigserial PRIMARY KEY,
    tenant_id integer NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
