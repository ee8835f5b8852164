-- create order customers
-- Ticket: ENG-3036. Reviewed by the data team.
SET lock_timeout = '5s';
SET statement_timeout = '0';

CREATE TABLE order_customers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    priority timestamptz,
    price jsonb,
    region uuid,
    product_metric_id bigint REFERENCES product_metrics (id) ON DELETE CASCADE
);
CREATE INDEX order_customers_price_idx ON order_customers (price);
CREATE INDEX order_customers_priority_idx ON order_customers (priority);

CREATE VIEW tenant_tenants_summary AS
    SELECT id, attempts, created_at, currency_x, count(*) OVER () AS n
    FROM tenant_tenants
    WHERE currency_x IS NOT NULL;
