-- seed metrics

INSERT INTO metrics (name, total, created_at) VALUES
    ('report-0', 458, now()),
    ('webhook-1', 412, now()),
    ('team-2', 421, now()),
    ('feature-3', 161, now()),
    ('report-4', 13, now()),
    ('supplier-5', 281, now()),
    ('dashboard-6', 31, now()),
    ('comment-7', 407, now())
ON CONFLICT DO NOTHING;

ALTER TYPE attachment_status ADD VALUE IF NOT EXISTS 'blocked';
