-- contract sessions country x
-- Ticket: ENG-2697. Reviewed by the data team.
SET lock_timeout = '3000ms';

ALTER TABLE sessions DROP COLUMN IF EXISTS country_x;

UPDATE sessions SET country_x = NULL
WHERE id IN (SELECT id FROM sessions WHERE country_x IS NULL ORDER BY id LIMIT 10000);

CREATE UNIQUE INDEX CONCURRENTLY rollup_dashboards_id_key_idx ON rollup_dashboards (id);
ALTER TABLE rollup_dashboards ADD CONSTRAINT rollup_dashboards_id_key UNIQUE USING INDEX rollup_dashboards_id_key_idx;
