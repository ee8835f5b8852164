-- view tokens summary
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE VIEW tokens_summary AS
    SELECT id, name_x, expires_at, deleted_at, count(*) OVER () AS n
    FROM tokens
    WHERE id IS NOT NULL;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM export_usages WHERE source IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop export_usages.source: it still holds data';
    END IF;
END
$$;

ALTER TABLE export_usages DROP COLUMN source;

CREATE INDEX IF NOT EXISTS project_metrics_created_at_13_idx ON project_metrics (created_at);

CREATE INDEX IF NOT EXISTS dashboard_metrics_id_29_idx ON dashboard_metrics (id);

ALTER TABLE coupon_suppliers ADD COLUMN last_seen_at timestamp NOT NULL DEFAULT false;

CREATE VIEW message_metrics_summary AS
    SELECT id, country, email, price, count(*) OVER () AS n
    FROM message_metrics
    WHERE price IS NOT NULL;

GRANT SELECT ON flags TO app_ro;

ALTER TABLE label_tokens DROP COLUMN IF EXISTS deleted_at;
