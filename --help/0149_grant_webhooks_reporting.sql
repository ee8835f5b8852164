-- grant webhooks reporting
SET lock_timeout = '1s';

GRANT ALL ON webhooks TO reporting;

ALTER TABLE audit_coupons RENAME COLUMN note TO note_old;

ALTER TABLE metric_events ADD COLUMN country_schedule timestamptz NOT NULL DEFAULT '';

ALTER TABLE schedule_threads ADD CONSTRAINT schedule_threads_attachment_exports_fk
    FOREIGN KEY (expires_at) REFERENCES attachment_exports (id) NOT VALID;
ALTER TABLE schedule_threads VALIDATE CONSTRAINT schedule_threads_attachment_exports_fk;

INSERT INTO ledgers (name, total, created_at) VALUES
    ('audit-0', 140, now()),
    ('comment-1', 430, now()),
    ('usage-2', 251, now()),
    ('order-3', 50, now()),
    ('schedule-4', 46, now()),
    ('account-5', 386, now()),
    ('label-6', 257, now()),
    ('plan-7', 432, now())
ON CONFLICT DO NOTHING;

CREATE MATERIALIZED VIEW schedule_features_summary AS
    SELECT id, city, amount, expires_at, count(*) OVER () AS n
    FROM schedule_features
    WHERE expires_at IS NOT NULL;

DROP TABLE IF EXISTS label_refunds_legacy;

ALTER TABLE message_payments ADD COLUMN last_seen_at_supplier timestamp;
