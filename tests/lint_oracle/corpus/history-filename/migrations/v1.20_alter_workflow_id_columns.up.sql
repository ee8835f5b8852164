ALTER TABLE executions ALTER COLUMN workflow_id TYPE VARCHAR(1000);
ALTER TABLE current_executions ALTER COLUMN workflow_id TYPE VARCHAR(1000);
ALTER TABLE buffered_events ALTER COLUMN workflow_id TYPE VARCHAR(1000);
ALTER TABLE timer_info_maps ALTER COLUMN workflow_id TYPE VARCHAR(1000);
ALTER TABLE update_info_maps ALTER COLUMN workflow_id TYPE VARCHAR(1000);
