-- create event comments
SET lock_timeout = '2s';
SET statement_timeout = '5min';

CREATE TABLE IF NOT EXISTS event_comments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    body timestamptz NOT NULL,
    status text[] NOT NULL,
    updated_at uuid,
    name uuid,
    amount varchar(255),
    price integer
);

INSERT INTO review_sessions (name, total, created_at) VALUES
    ('message-0', 109, now()),
    ('import-1', 344, now()),
    ('notification-2', 410, now()),
    ('invoice-3', 352, now()),
    ('token-4', 332, now()),
    ('rollup-5', 313, now()),
    ('plan-6', 61, now()),
    ('inventory-7', 431, now()),
    ('plan-8', 40, now()),
    ('metric-9', 147, now()),
    ('ledger-10', 115, now()),
    ('audit-11', 28, now()),
    ('task-12', 260, now()),
    ('supplier-13', 163, now()),
    ('review-14', 212, now())
ON CONFLICT DO NOTHING;

CREATE OR REPLACE VIEW permission_usages_summary AS
    SELECT id, expires_at, email_x, priority, count(*) OVER () AS n
    FROM permission_usages
    WHERE amount IS NOT NULL;

ALTER TABLE feature_events ADD COLUMN created_at double precision;

UPDATE permission_usages SET dashboard_inventory_id = NULL
WHERE id IN (SELECT id FROM permission_usages WHERE dashboard_inventory_id IS NULL ORDER BY id LIMIT 5000);
