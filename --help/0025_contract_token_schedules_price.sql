-- contract token schedules price

ALTER TABLE token_schedules DROP COLUMN IF EXISTS price;

ALTER TABLE metrics ADD COLUMN total bigint NOT NULL DEFAULT false;

ALTER TABLE coupon_metrics ADD COLUMN quantity uuid DEFAULT gen_random_uuid();

CREATE INDEX CONCURRENTLY orders_email_x_75_idx ON orders (email_x);

CREATE INDEX IF NOT EXISTS report_metrics_created_at_18_idx ON report_metrics (created_at);

ALTER TABLE events ADD COLUMN status inet;
