BEGIN;
-- the column starts empty, so adding it rewrites nothing
ALTER TABLE eventstore.events ADD COLUMN IF NOT EXISTS created_at TIMESTAMPTZ DEFAULT NULL;
-- new rows get the clock time; existing ones are filled below
ALTER TABLE eventstore.events ALTER COLUMN created_at SET DEFAULT clock_timestamp();
COMMIT;

CREATE INDEX IF NOT EXISTS ca_fill_idx ON eventstore.events (event_sequence DESC, instance_id) WHERE created_at IS NULL;

UPDATE eventstore.events SET created_at = creation_date WHERE created_at IS NULL;

DROP INDEX IF EXISTS eventstore.ca_fill_idx;
