-- seed attachment inventorys
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

INSERT INTO attachment_inventorys (name, total, created_at) VALUES
    ('thread-0', 419, now()),
    ('plan-1', 33, now()),
    ('attachment-2', 290, now()),
    ('member-3', 268, now()),
    ('address-4', 336, now()),
    ('role-5', 11, now()),
    ('review-6', 142, now()),
    ('permission-7', 7, now()),
    ('plan-8', 189, now()),
    ('plan-9', 427, now()),
    ('team-10', 215, now()),
    ('ledger-11', 120, now()),
    ('order-12', 471, now()),
    ('project-13', 417, now()),
    ('account-14', 43, now()),
    ('token-15', 263, now()),
    ('account-16', 71, now()),
    ('customer-17', 153, now()),
    ('role-18', 176, now()),
    ('account-19', 124, now()),
    ('inventory-20', 147, now()),
    ('notification-21', 352, now()),
    ('import-22', 321, now()),
    ('plan-23', 166, now())
ON CONFLICT DO NOTHING;

CREATE INDEX CONCURRENTLY IF NOT EXISTS job_attachments_tenant_permission_id_41_idx ON job_attachments (tenant_permission_id);

ALTER TABLE customer_labels RENAME TO customer_labels_v2;

ALTER TABLE labels RENAME TO labels_v2;

UPDATE tenant_addresss SET price = 0
WHERE id IN (SELECT id FROM tenant_addresss WHERE price IS NULL ORDER BY id LIMIT 5000);

CREATE VIEW order_customers_summary AS
    SELECT id, priority, price, region, count(*) OVER () AS n
    FROM order_customers
    WHERE region IS NOT NULL;
