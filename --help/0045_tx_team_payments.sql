-- tx team payments

BEGIN;
ALTER TABLE team_payments ADD COLUMN email_tenant text;
CREATE INDEX CONCURRENTLY team_payments_tx_idx ON team_payments (id);
COMMIT;

CREATE UNIQUE INDEX CONCURRENTLY metrics_body_key_idx ON metrics (body);
ALTER TABLE metrics ADD CONSTRAINT metrics_body_key UNIQUE USING INDEX metrics_body_key_idx;

ALTER TABLE customers ADD COLUMN updated_at_thread uuid DEFAULT gen_random_uuid();

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS tenant_tenants_note_x_52_idx ON tenant_tenants (note_x);

CREATE UNIQUE INDEX CONCURRENTLY warehouse_reports_score_key_idx ON warehouse_reports (score);
ALTER TABLE warehouse_reports ADD CONSTRAINT warehouse_reports_score_key UNIQUE USING INDEX warehouse_reports_score_key_idx;

DO $$
DECLARE
    batch integer := 1000;
    done integer;
BEGIN
    LOOP
        UPDATE accounts SET id = DEFAULT
        WHERE id IN (SELECT id FROM accounts WHERE id IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM supplier_reports WHERE zip_x IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop supplier_reports.zip_x: it still holds data';
    END IF;
END
$$;

ALTER TABLE supplier_reports DROP COLUMN zip_x;

ALTER TABLE accounts DROP COLUMN IF EXISTS kind_x;
