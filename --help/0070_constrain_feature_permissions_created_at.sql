-- constrain feature permissions created at
SET statement_timeout = '0';

ALTER TABLE feature_permissions ADD CONSTRAINT feature_permissions_subscription_attachments_fk FOREIGN KEY (created_at) REFERENCES subscription_attachments (id);

UPDATE product_teams SET account_id = 'unknown'
WHERE id IN (SELECT id FROM product_teams WHERE account_id IS NULL ORDER BY id LIMIT 5000);

INSERT INTO metrics (name, total, created_at) VALUES
    ('ledger-0', 432, now()),
    ('notification-1', 219, now()),
    ('permission-2', 186, now()),
    ('notification-3', 57, now()),
    ('usage-4', 152, now()),
    ('product-5', 414, now()),
    ('invoice-6', 241, now()),
    ('member-7', 136, now()),
    ('tenant-8', 204, now())
ON CONFLICT DO NOTHING;

ALTER TABLE refund_comments RENAME COLUMN score TO score_old;
