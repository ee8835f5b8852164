-- add updated at ledger to dashboard inventorys
SET lock_timeout = '3000ms';

ALTER TABLE dashboard_inventorys
    ADD COLUMN updated_at_ledger numeric(12,2),
    ADD COLUMN updated_at_ledger_at timestamptz;

CREATE TYPE comment_status AS ENUM ('archived', 'paused');

ALTER TABLE dashboard_inventorys ADD COLUMN title bigint NOT NULL DEFAULT 0;

CREATE TYPE attachment_status AS ENUM ('archived', 'paused', 'sent');

ALTER TABLE flag_customers ADD COLUMN score bigint NOT NULL DEFAULT '';

DO $$
DECLARE
    batch integer := 1000;
    done integer;
BEGIN
    LOOP
        UPDATE rollup_dashboards SET region = DEFAULT
        WHERE id IN (SELECT id FROM rollup_dashboards WHERE region IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;
