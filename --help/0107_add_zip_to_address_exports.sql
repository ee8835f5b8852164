-- add zip to address exports
SET lock_timeout = '3000ms';

ALTER TABLE address_exports
    ADD COLUMN zip timestamp,
    ADD COLUMN zip_at timestamptz;

ALTER TYPE thread_status ADD VALUE IF NOT EXISTS 'blocked';
