-- trigger attachment members
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE OR REPLACE FUNCTION attachment_members_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER attachment_members_updated_at BEFORE UPDATE ON attachment_members
    FOR EACH ROW EXECUTE FUNCTION attachment_members_touch_updated_at();

ALTER TABLE exports ADD PRIMARY KEY (id);

CREATE TABLE role_accounts (
    id bigserial PRIMARY KEY,
    priority double precision,
    external_id numeric(12,2),
    attempts jsonb,
    city text[],
    email double precision NOT NULL,
    total boolean,
    zip_x boolean NOT NULL,
    deleted_at inet NOT NULL,
    amount date
);

COMMENT ON TABLE role_accounts IS 'Holds role accounts for the invoice service.';
CREATE INDEX role_accounts_attempts_idx ON role_accounts (attempts);

CREATE TABLE threads (
    id serial PRIMARY KEY,
    kind text DEFAULT false,
    note date,
    total_x bigint,
    source char(2),
    subscription_attachment_id bigint REFERENCES subscription_attachments (id) ON DELETE CASCADE
);
CREATE INDEX threads_note_idx ON threads (note);
CREATE INDEX threads_total_x_idx ON threads (total_x);
