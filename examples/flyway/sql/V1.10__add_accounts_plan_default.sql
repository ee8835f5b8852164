-- Version 1.10 runs after 1.9: Flyway compares version parts as numbers, not as text.
SET LOCAL lock_timeout = '5s';
ALTER TABLE accounts ALTER COLUMN plan SET DEFAULT 'free';
