-- rename thread webhooks
-- Ticket: ENG-1304. Reviewed by the data team.
SET lock_timeout = '5s';
SET statement_timeout = '5min';

ALTER TABLE thread_webhooks RENAME TO thread_webhooks_v2;

ALTER TABLE events ADD COLUMN attempts uuid DEFAULT gen_random_uuid();

ALTER TABLE products ADD COLUMN quantity boolean;

TRUNCATE warehouse_messages;

CREATE INDEX CONCURRENTLY IF NOT EXISTS refunds_title_plan_58_idx ON refunds (title_plan);

ALTER TABLE ledger_labels ADD CONSTRAINT ledger_labels_coupon_features_fk
    FOREIGN KEY (status_x) REFERENCES coupon_features (id) NOT VALID;
ALTER TABLE ledger_labels VALIDATE CONSTRAINT ledger_labels_coupon_features_fk;

GRANT ALL ON flag_permissions TO reporting;
