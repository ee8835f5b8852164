-- grant order threads app ro
-- Ticket: ENG-385. Reviewed by the data team.
SET statement_timeout = '5min';

GRANT SELECT ON order_threads TO app_ro;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM dashboards WHERE id IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop dashboards.id: it still holds data';
    END IF;
END
$$;

ALTER TABLE dashboards DROP COLUMN id;

DO $$
DECLARE
    batch integer := 1000;
    done integer;
BEGIN
    LOOP
        UPDATE invoice_events SET id = DEFAULT
        WHERE id IN (SELECT id FROM invoice_events WHERE id IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

CREATE INDEX CONCURRENTLY plan_imports_status_21_idx ON plan_imports (status);

ALTER TABLE supplier_webhooks ALTER COLUMN email_x TYPE bigint;

ALTER TABLE ledger_members ADD CONSTRAINT ledger_members_metric_reviews_fk FOREIGN KEY (updated_at_x) REFERENCES metric_reviews (id);
