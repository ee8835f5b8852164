-- rename team schedules
-- Ticket: ENG-6479. Reviewed by the data team.
SET lock_timeout = '3000ms';

ALTER TABLE team_schedules RENAME TO team_schedules_v2;

ALTER TABLE usage_labels
    ADD COLUMN title timestamp,
    ADD COLUMN title_at timestamptz;

CREATE INDEX tokens_expires_at_67_idx ON tokens (expires_at);

ALTER TABLE review_roles ADD COLUMN IF NOT EXISTS last_seen_at timestamptz DEFAULT 0;

INSERT INTO refund_comments (name, total, created_at) VALUES
    ('dashboard-0', 184, now()),
    ('member-1', 357, now()),
    ('address-2', 171, now()),
    ('feature-3', 120, now()),
    ('warehouse-4', 446, now()),
    ('export-5', 350, now()),
    ('comment-6', 141, now()),
    ('rollup-7', 283, now()),
    ('message-8', 150, now()),
    ('flag-9', 435, now()),
    ('task-10', 272, now()),
    ('ledger-11', 136, now()),
    ('subscription-12', 369, now()),
    ('import-13', 461, now()),
    ('member-14', 266, now()),
    ('notification-15', 95, now()),
    ('webhook-16', 80, now()),
    ('team-17', 488, now()),
    ('supplier-18', 329, now()),
    ('invoice-19', 93, now()),
    ('session-20', 376, now()),
    ('event-21', 97, now()),
    ('inventory-22', 186, now())
ON CONFLICT DO NOTHING;

ALTER TABLE review_roles ADD CONSTRAINT review_roles_payload_x_key UNIQUE (payload_x);

ALTER TABLE jobs ADD PRIMARY KEY (id);
