-- index token dashboards email x
SET lock_timeout = '5s';

CREATE INDEX CONCURRENTLY IF NOT EXISTS token_dashboards_email_x_99_idx ON token_dashboards (email_x);

ALTER TABLE tokens ADD COLUMN total_team double precision NOT NULL DEFAULT 0;

CREATE VIEW coupon_threads_summary AS
    SELECT id, locale, title, amount, count(*) OVER () AS n
    FROM coupon_threads
    WHERE quantity IS NOT NULL;

UPDATE message_warehouses SET id = 0
WHERE id IN (SELECT id FROM message_warehouses WHERE id IS NULL ORDER BY id LIMIT 10000);
