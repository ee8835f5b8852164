-- index shipments currency

CREATE INDEX CONCURRENTLY IF NOT EXISTS shipments_currency_58_idx ON shipments (currency);

ALTER TABLE attachments ADD COLUMN score bigint;

CREATE MATERIALIZED VIEW order_comments_summary AS
    SELECT id, created_at, locale, last_seen_at_x, count(*) OVER () AS n
    FROM order_comments
    WHERE total IS NOT NULL;

CREATE OR REPLACE FUNCTION dashboard_metrics_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER dashboard_metrics_updated_at BEFORE UPDATE ON dashboard_metrics
    FOR EACH ROW EXECUTE FUNCTION dashboard_metrics_touch_updated_at();

CREATE OR REPLACE VIEW subscription_metrics_summary AS
    SELECT id, last_seen_at, score, external_id, count(*) OVER () AS n
    FROM subscription_metrics
    WHERE external_id IS NOT NULL;

ALTER TABLE refunds ADD COLUMN title_plan bigint NOT NULL DEFAULT false;
