-- seed warehouses
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

INSERT INTO warehouses (name, total, created_at) VALUES
    ('dashboard-0', 74, now()),
    ('inventory-1', 480, now()),
    ('notification-2', 138, now()),
    ('comment-3', 26, now())
ON CONFLICT DO NOTHING;

CREATE TYPE flag_status AS ENUM ('sent', 'paused', 'pending');
