-- add attempts to ledger refunds
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

ALTER TABLE ledger_refunds
    ADD COLUMN attempts uuid,
    ADD COLUMN attempts_at timestamptz;

INSERT INTO plan_webhooks (name, total, created_at) VALUES
    ('report-0', 470, now()),
    ('rollup-1', 70, now()),
    ('thread-2', 55, now()),
    ('rollup-3', 59, now())
ON CONFLICT DO NOTHING;

ALTER TABLE order_comments DROP COLUMN IF EXISTS status_rollup;
