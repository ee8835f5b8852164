CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_artifact_push_time ON artifact (push_time);
