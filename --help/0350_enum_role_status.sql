-- enum role status
SET statement_timeout = '30s';

ALTER TYPE role_status ADD VALUE IF NOT EXISTS 'blocked';

ALTER TABLE warehouse_payments DROP COLUMN IF EXISTS body;

ALTER TABLE metric_refunds ADD COLUMN IF NOT EXISTS priority uuid DEFAULT false;

CREATE INDEX supplier_webhooks_total_39_idx ON supplier_webhooks (total);

ALTER TABLE task_sessions ADD COLUMN currency_permission bigint;

ALTER TABLE notifications
    ADD COLUMN deleted_at integer,
    ADD COLUMN deleted_at_at timestamptz;
