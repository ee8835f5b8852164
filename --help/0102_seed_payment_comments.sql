-- seed payment comments
SET lock_timeout = '2s';

INSERT INTO payment_comments (name, total, created_at) VALUES
    ('role-0', 361, now()),
    ('warehouse-1', 218, now()),
    ('refund-2', 193, now()),
    ('coupon-3', 423, now())
ON CONFLICT DO NOTHING;

CREATE INDEX CONCURRENTLY IF NOT EXISTS team_flags_city_x_58_idx ON team_flags (city_x);

ALTER TABLE export_usages ADD COLUMN source numeric(12,2) NOT NULL DEFAULT false;

DROP INDEX IF EXISTS dashboard_metrics_coupon_metric_id_idx;

GRANT ALL ON schedule_features TO app_ro;

CREATE INDEX IF NOT EXISTS supplier_reports_zip_x_32_idx ON supplier_reports (zip_x);

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE coupons SET expires_at_x = DEFAULT
        WHERE id IN (SELECT id FROM coupons WHERE expires_at_x IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;
