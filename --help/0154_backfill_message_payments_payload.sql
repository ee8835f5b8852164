-- backfill message payments payload

UPDATE message_payments SET payload = NULL
WHERE id IN (SELECT id FROM message_payments WHERE payload IS NULL ORDER BY id LIMIT 10000);

ALTER TABLE account_dashboards ADD COLUMN expires_at jsonb;

CREATE INDEX dashboard_payments_title_88_idx ON dashboard_payments (title);

ALTER TABLE token_schedules DROP COLUMN IF EXISTS score;
