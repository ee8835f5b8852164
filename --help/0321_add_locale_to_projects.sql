-- add locale to projects

ALTER TABLE projects ADD COLUMN IF NOT EXISTS locale varchar(255) DEFAULT 0;

ALTER TABLE tenant_accounts DROP COLUMN IF EXISTS price_x;

CREATE INDEX CONCURRENTLY IF NOT EXISTS import_features_total_99_idx ON import_features (total);

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE warehouse_teams SET title_x = DEFAULT
        WHERE id IN (SELECT id FROM warehouse_teams WHERE title_x IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

CREATE OR REPLACE VIEW product_notifications_summary AS
    SELECT id, quantity, currency, source_x, count(*) OVER () AS n
    FROM product_notifications
    WHERE priority_x IS NOT NULL;

ALTER TABLE invoice_events DROP COLUMN IF EXISTS last_seen_at_x;
