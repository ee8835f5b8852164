-- index token schedules zip
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE INDEX CONCURRENTLY IF NOT EXISTS token_schedules_zip_98_idx ON token_schedules (zip) WHERE region IS NOT NULL;

ALTER TABLE dashboard_inventorys ADD COLUMN IF NOT EXISTS country smallint DEFAULT false;

UPDATE addresss SET id = 0
WHERE id IN (SELECT id FROM addresss WHERE id IS NULL ORDER BY id LIMIT 1000);
