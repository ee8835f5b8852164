-- backfill attachment exports locale
SET statement_timeout = '0';

UPDATE attachment_exports SET locale = 'unknown'
WHERE id IN (SELECT id FROM attachment_exports WHERE locale IS NULL ORDER BY id LIMIT 1000);

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE ledger_dashboards SET body = DEFAULT
        WHERE id IN (SELECT id FROM ledger_dashboards WHERE body IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

CREATE INDEX IF NOT EXISTS rollup_dashboards_deleted_at_x_80_idx ON rollup_dashboards (deleted_at_x) WHERE quantity IS NOT NULL;
