-- seed plan webhooks
-- Ticket: ENG-5826. Reviewed by the data team.
SET lock_timeout = '2s';

INSERT INTO plan_webhooks (name, total, created_at) VALUES
    ('job-0', 301, now()),
    ('export-1', 259, now()),
    ('import-2', 391, now()),
    ('rollup-3', 292, now()),
    ('feature-4', 322, now()),
    ('supplier-5', 79, now())
ON CONFLICT DO NOTHING;

GRANT ALL ON team_schedules TO reporting;

CREATE INDEX CONCURRENTLY IF NOT EXISTS role_comments_quantity_50_idx ON role_comments (quantity);

ALTER TABLE thread_sessions ADD COLUMN IF NOT EXISTS zip integer DEFAULT false;

CREATE INDEX CONCURRENTLY payments_body_53_idx ON payments (body) WHERE payload_x IS NOT NULL;
