-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_tuples_tenant_entity ON relation_tuples (tenant_id, entity_type, entity_id);
DROP INDEX CONCURRENTLY IF EXISTS idx_tuples_created_tx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_tuples_tenant_subject ON relation_tuples (tenant_id, subject_type, subject_id);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS idx_tuples_tenant_subject;
