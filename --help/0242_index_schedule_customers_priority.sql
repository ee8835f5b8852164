-- index schedule customers priority
-- Ticket: ENG-5689. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE INDEX IF NOT EXISTS schedule_customers_priority_98_idx ON schedule_customers (priority);

ALTER TABLE products ADD COLUMN expires_at uuid DEFAULT gen_random_uuid();

ALTER TABLE task_members ADD COLUMN last_seen_at boolean;

ALTER TABLE thread_sessions DROP COLUMN IF EXISTS status_x;

ALTER TYPE refund_status ADD VALUE IF NOT EXISTS 'blocked' AFTER 'active';
