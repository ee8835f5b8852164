-- +goose Up
-- the runner wraps this file in a transaction, which CONCURRENTLY refuses
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_tuples_created_tx ON relation_tuples (tenant_id, created_tx_id);

-- +goose Down
DROP INDEX IF EXISTS idx_tuples_created_tx;
