-- index tasks title

CREATE INDEX tasks_title_61_idx ON tasks (title);

ALTER TABLE shipment_attachments
    ADD COLUMN deleted_at inet,
    ADD COLUMN deleted_at_at timestamptz;

ALTER TABLE dashboard_inventorys DROP COLUMN IF EXISTS updated_at_ledger;

ALTER TABLE thread_webhooks ADD CONSTRAINT thread_webhooks_zip_x_not_null CHECK (zip_x IS NOT NULL) NOT VALID;
ALTER TABLE thread_webhooks VALIDATE CONSTRAINT thread_webhooks_zip_x_not_null;
ALTER TABLE thread_webhooks ALTER COLUMN zip_x SET NOT NULL;
ALTER TABLE thread_webhooks DROP CONSTRAINT thread_webhooks_zip_x_not_null;

CREATE MATERIALIZED VIEW job_notifications_summary AS
    SELECT id, attempts_x, priority_x, currency, count(*) OVER () AS n
    FROM job_notifications
    WHERE attempts_x IS NOT NULL;
REFRESH MATERIALIZED VIEW job_notifications_summary;

ALTER TABLE order_payments DROP COLUMN IF EXISTS priority;

GRANT SELECT, INSERT, UPDATE, DELETE ON address_rollups TO app_ro;

CREATE OR REPLACE VIEW webhook_webhooks_summary AS
    SELECT id, city, score, country_x, count(*) OVER () AS n
    FROM webhook_webhooks
    WHERE region IS NOT NULL;
