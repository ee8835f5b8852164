-- trigger team flags

CREATE OR REPLACE FUNCTION team_flags_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER team_flags_updated_at BEFORE UPDATE ON team_flags
    FOR EACH ROW EXECUTE FUNCTION team_flags_touch_updated_at();

INSERT INTO project_sessions (name, total, created_at) VALUES
    ('invoice-0', 183, now()),
    ('payment-1', 12, now()),
    ('metric-2', 45, now()),
    ('supplier-3', 87, now()),
    ('permission-4', 335, now()),
    ('permission-5', 435, now()),
    ('role-6', 198, now()),
    ('feature-7', 419, now()),
    ('message-8', 320, now()),
    ('tenant-9', 466, now()),
    ('member-10', 186, now()),
    ('project-11', 116, now()),
    ('team-12', 9, now()),
    ('inventory-13', 388, now()),
    ('session-14', 51, now()),
    ('permission-15', 294, now()),
    ('label-16', 55, now()),
    ('audit-17', 29, now()),
    ('payment-18', 299, now())
ON CONFLICT DO NOTHING;

ALTER TABLE tenant_addresss ADD CONSTRAINT tenant_addresss_id_positive CHECK (id IS NOT NULL) NOT VALID;

ALTER TABLE subscription_metrics ADD COLUMN IF NOT EXISTS expires_at boolean DEFAULT false;

ALTER TABLE tasks ALTER COLUMN schedule_ledger_id TYPE text;

ALTER TYPE member_status ADD VALUE IF NOT EXISTS 'blocked';
