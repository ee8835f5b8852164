-- trigger subscription tasks
SET lock_timeout = '2s';

CREATE OR REPLACE FUNCTION subscription_tasks_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM subscription_tasks_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER subscription_tasks_updated_at BEFORE UPDATE ON subscription_tasks
    FOR EACH ROW EXECUTE FUNCTION subscription_tasks_touch_updated_at();

ALTER TABLE review_exports
    ADD COLUMN title bigint,
    ADD COLUMN title_at timestamptz;

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE session_shipments SET priority = DEFAULT
        WHERE id IN (SELECT id FROM session_shipments WHERE priority IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

ALTER TYPE tenant_status ADD VALUE IF NOT EXISTS 'blocked';

GRANT SELECT, INSERT, UPDATE, DELETE ON schedule_ledgers TO app_rw;

ALTER TABLE role_accounts ADD PRIMARY KEY (id);

CREATE TABLE IF NOT EXISTS thread_permissions (
    id bigserial PRIMARY KEY,
    payload jsonb NOT NULL,
    attempts_x varchar(255) NOT NULL DEFAULT false,
    quantity numeric(12,2),
    source varchar(255) NOT NULL
);

COMMENT ON TABLE thread_permissions IS 'Holds thread permissions for the webhook service.';

ALTER TABLE account_members ADD CONSTRAINT account_members_metric_tokens_fk
    FOREIGN KEY (id) REFERENCES metric_tokens (id) NOT VALID;
ALTER TABLE account_members VALIDATE CONSTRAINT account_members_metric_tokens_fk;
