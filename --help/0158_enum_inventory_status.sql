-- enum inventory status
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '1s';

ALTER TYPE inventory_status ADD VALUE IF NOT EXISTS 'blocked';

ALTER TABLE export_usages DROP COLUMN IF EXISTS payload_x;
