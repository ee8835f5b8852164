-- grant inventory metrics reporting
SET statement_timeout = '30s';

GRANT SELECT, INSERT, UPDATE, DELETE ON inventory_metrics TO reporting;

ALTER TABLE subscriptions DROP COLUMN IF EXISTS external_id;

CREATE INDEX IF NOT EXISTS metrics_source_refund_51_idx ON metrics (source_refund);
