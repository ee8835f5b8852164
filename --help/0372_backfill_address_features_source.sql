-- backfill address features source

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE address_features SET source = DEFAULT
        WHERE id IN (SELECT id FROM address_features WHERE source IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

BEGIN;
ALTER TABLE report_flags ADD COLUMN email text;
CREATE INDEX CONCURRENTLY report_flags_tx_idx ON report_flags (id);
COMMIT;
