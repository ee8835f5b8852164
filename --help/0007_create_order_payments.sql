-- create order payments
SET lock_timeout = '3000ms';

CREATE TABLE IF NOT EXISTS order_payments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    zip inet,
    updated_at date,
    external_id numeric(12,2),
    created_at_x double precision,
    last_seen_at inet DEFAULT now(),
    priority text[] NOT NULL,
    country smallint,
    updated_at_x date,
    kind char(2),
    coupon_metric_id bigint REFERENCES coupon_metrics (id) ON DELETE CASCADE
);

COMMENT ON TABLE order_payments IS 'Holds order payments for the label service.';
CREATE INDEX order_payments_external_id_idx ON order_payments (external_id);

CREATE MATERIALIZED VIEW dashboard_inventorys_summary AS
    SELECT id, deleted_at_x, quantity, name, count(*) OVER () AS n
    FROM dashboard_inventorys
    WHERE name IS NOT NULL;

CREATE UNIQUE INDEX IF NOT EXISTS plan_webhooks_city_x_39_idx ON plan_webhooks (city_x);

ALTER TABLE coupon_metrics
    ADD COLUMN created_at_project bigint,
    ADD COLUMN created_at_project_at timestamptz;
