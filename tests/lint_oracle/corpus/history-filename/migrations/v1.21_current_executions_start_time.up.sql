ALTER TABLE current_executions ADD COLUMN start_time TIMESTAMP NULL;
ALTER TABLE current_executions ADD COLUMN data BYTEA NULL;
ALTER TABLE current_executions ADD COLUMN data_encoding VARCHAR(16) NOT NULL DEFAULT '';
-- the run id moved into the data blob: shorten the shard id type while at it
ALTER TABLE buffered_events ALTER COLUMN shard_id TYPE SMALLINT;
