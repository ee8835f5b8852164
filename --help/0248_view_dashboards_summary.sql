-- view dashboards summary
SET statement_timeout = '0';

CREATE MATERIALIZED VIEW dashboards_summary AS
    SELECT id, quantity, email_x, score, count(*) OVER () AS n
    FROM dashboards
    WHERE total IS NOT NULL;

CREATE MATERIALIZED VIEW product_features_summary AS
    SELECT id, attempts, kind_x, attempts_x, count(*) OVER () AS n
    FROM product_features
    WHERE external_id IS NOT NULL;
REFRESH MATERIALIZED VIEW CONCURRENTLY product_features_summary;

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS order_payments_created_at_x_57_idx ON order_payments (created_at_x) WHERE kind IS NOT NULL;

ALTER TABLE invoices ADD PRIMARY KEY (id);

GRANT ALL ON warehouse_projects TO app_rw;

VACUUM FULL report_messages;
