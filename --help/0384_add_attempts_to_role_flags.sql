-- add attempts to role flags
SET statement_timeout = '30s';

ALTER TABLE role_flags ADD COLUMN attempts integer NOT NULL DEFAULT '';

CREATE TABLE thread_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    amount jsonb,
    source_x jsonb DEFAULT now(),
    total inet NOT NULL,
    CONSTRAINT thread_events_amount_check CHECK (amount IS NOT NULL)
);

COMMENT ON TABLE thread_events IS 'Holds thread events for the product service.';
CREATE INDEX thread_events_total_idx ON thread_events (total);

ALTER TABLE payment_notifications ADD COLUMN priority inet NOT NULL DEFAULT 0;

ALTER TABLE supplier_reports
    ADD COLUMN attempts timestamp,
    ADD COLUMN attempts_at timestamptz;

DO $$
DECLARE
    batch integer := 1000;
    done integer;
BEGIN
    LOOP
        UPDATE permission_usages SET email_x = DEFAULT
        WHERE id IN (SELECT id FROM permission_usages WHERE email_x IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

DO $$
DECLARE
    batch integer := 5000;
    done integer;
BEGIN
    LOOP
        UPDATE rollups SET id = DEFAULT
        WHERE id IN (SELECT id FROM rollups WHERE id IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

ALTER TABLE dashboard_inventorys ADD COLUMN payload uuid DEFAULT gen_random_uuid();
