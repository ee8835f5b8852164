-- index usage rollups deleted at
SET lock_timeout = '3000ms';

CREATE UNIQUE INDEX IF NOT EXISTS usage_rollups_deleted_at_94_idx ON usage_rollups (deleted_at);

CREATE TABLE token_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    updated_at smallint NOT NULL,
    city date,
    currency_x double precision,
    note integer NOT NULL DEFAULT 0,
    price_x smallint NOT NULL
);

COMMENT ON TABLE token_sessions IS 'Holds token sessions for the warehouse service.';

UPDATE projects SET attempts = 0
WHERE id IN (SELECT id FROM projects WHERE attempts IS NULL ORDER BY id LIMIT 10000);

DROP INDEX IF EXISTS usages_id_idx;

ALTER TABLE audit_coupons ADD CONSTRAINT audit_coupons_source_positive CHECK (source IS NOT NULL) NOT VALID;
