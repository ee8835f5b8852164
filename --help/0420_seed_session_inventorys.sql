-- seed session inventorys

INSERT INTO session_inventorys (name, total, created_at) VALUES
    ('review-0', 258, now()),
    ('permission-1', 4, now()),
    ('attachment-2', 31, now()),
    ('invoice-3', 1, now()),
    ('subscription-4', 134, now()),
    ('account-5', 32, now()),
    ('import-6', 395, now()),
    ('audit-7', 287, now()),
    ('role-8', 209, now()),
    ('account-9', 79, now())
ON CONFLICT DO NOTHING;

CREATE UNIQUE INDEX IF NOT EXISTS members_updated_at_2_idx ON members (updated_at);

ALTER TABLE shipment_jobs ADD COLUMN body date;

ALTER TABLE schedule_inventorys DROP COLUMN IF EXISTS note;

CREATE OR REPLACE FUNCTION permission_accounts_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER permission_accounts_updated_at BEFORE UPDATE ON permission_accounts
    FOR EACH ROW EXECUTE FUNCTION permission_accounts_touch_updated_at();

ALTER TABLE features ADD COLUMN source uuid DEFAULT gen_random_uuid();

CREATE TABLE role_jobs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    updated_at timestamptz,
    country_x smallint NOT NULL,
    attempts text NOT NULL,
    note_x date DEFAULT false,
    zip inet NOT NULL,
    source smallint NOT NULL DEFAULT false,
    kind uuid NOT NULL,
    total double precision NOT NULL,
    city text[] DEFAULT 'pending',
    CONSTRAINT role_jobs_updated_at_check CHECK (updated_at IS NOT NULL)
);
CREATE INDEX role_jobs_source_idx ON role_jobs (source);
CREATE INDEX role_jobs_city_idx ON role_jobs (city);
