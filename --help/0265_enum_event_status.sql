-- enum event status

ALTER TYPE event_status ADD VALUE IF NOT EXISTS 'blocked';

INSERT INTO thread_permissions (name, total, created_at) VALUES
    ('tenant-0', 59, now()),
    ('supplier-1', 147, now()),
    ('token-2', 191, now()),
    ('metric-3', 357, now()),
    ('refund-4', 157, now()),
    ('project-5', 120, now()),
    ('address-6', 430, now()),
    ('schedule-7', 273, now()),
    ('session-8', 206, now()),
    ('session-9', 71, now()),
    ('payment-10', 202, now()),
    ('product-11', 336, now())
ON CONFLICT DO NOTHING;
