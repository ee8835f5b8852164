CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_tag_artifact_id ON tag (artifact_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_tag_push_time ON tag (push_time);
