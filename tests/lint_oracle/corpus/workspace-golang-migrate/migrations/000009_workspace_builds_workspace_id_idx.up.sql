CREATE INDEX CONCURRENTLY IF NOT EXISTS workspace_builds_workspace_id_idx ON workspace_builds (workspace_id, build_number DESC);
