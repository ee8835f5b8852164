-- enum ledger status
SET lock_timeout = '1s';

CREATE TYPE ledger_status AS ENUM ('paused', 'failed', 'archived', 'active');

CREATE UNIQUE INDEX CONCURRENTLY reports_email_88_idx ON reports (email);

CREATE INDEX events_quantity_41_idx ON events USING gin (quantity);
