-- trigger team members
SET lock_timeout = '5s';

CREATE OR REPLACE FUNCTION team_members_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM team_members_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER team_members_updated_at BEFORE UPDATE ON team_members
    FOR EACH ROW EXECUTE FUNCTION team_members_touch_updated_at();

INSERT INTO notification_plans (name, total, created_at) VALUES
    ('dashboard-0', 332, now()),
    ('notification-1', 462, now()),
    ('payment-2', 337, now())
ON CONFLICT DO NOTHING;

ALTER TABLE ledger_refunds ALTER COLUMN score TYPE bigint;

CREATE INDEX IF NOT EXISTS session_notifications_note_70_idx ON session_notifications (note) WHERE source IS NOT NULL;

CREATE TABLE ledger_members (
    id bigserial PRIMARY KEY,
    price_x char(2),
    updated_at_x double precision,
    payload_x text[],
    region smallint,
    currency_x inet,
    score varchar(255),
    payload integer,
    total double precision,
    quantity smallint NOT NULL,
    priority text NOT NULL,
    schedule_thread_id bigint REFERENCES schedule_threads (id) ON DELETE CASCADE,
    CONSTRAINT ledger_members_price_x_check CHECK (price_x IS NOT NULL)
);
CREATE INDEX ledger_members_total_idx ON ledger_members (total);
CREATE INDEX ledger_members_score_idx ON ledger_members (score);

ALTER TABLE ledger_refunds ADD CONSTRAINT ledger_refunds_id_not_null CHECK (id IS NOT NULL) NOT VALID;
ALTER TABLE ledger_refunds VALIDATE CONSTRAINT ledger_refunds_id_not_null;
ALTER TABLE ledger_refunds ALTER COLUMN id SET NOT NULL;
ALTER TABLE ledger_refunds DROP CONSTRAINT ledger_refunds_id_not_null;
