-- add name to orders
-- Ticket: ENG-7796. Reviewed by the data team.
SET lock_timeout = '1s';

ALTER TABLE orders ADD COLUMN name date NOT NULL DEFAULT 0;

CREATE INDEX CONCURRENTLY IF NOT EXISTS usage_usages_total_14_idx ON usage_usages USING gin (total);

DROP TABLE IF EXISTS comments_legacy;

VACUUM FULL project_sessions;
