-- contract comments body x
-- Ticket: ENG-2378. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

ALTER TABLE comments DROP COLUMN IF EXISTS body_x;

UPDATE message_payments SET source = 0
WHERE id IN (SELECT id FROM message_payments WHERE source IS NULL ORDER BY id LIMIT 10000);

DROP INDEX IF EXISTS products_zip_idx;

ALTER TABLE report_shipments ADD CONSTRAINT report_shipments_external_id_not_null CHECK (external_id IS NOT NULL) NOT VALID;
ALTER TABLE report_shipments VALIDATE CONSTRAINT report_shipments_external_id_not_null;
ALTER TABLE report_shipments ALTER COLUMN external_id SET NOT NULL;
ALTER TABLE report_shipments DROP CONSTRAINT report_shipments_external_id_not_null;

CREATE TABLE dashboard_jobs (
    id bigserial PRIMARY KEY,
    source boolean NOT NULL,
    title jsonb NOT NULL,
    score text NOT NULL,
    external_id char(2) NOT NULL,
    expires_at timestamp NOT NULL,
    kind inet,
    deleted_at jsonb NOT NULL,
    updated_at numeric(12,2),
    CONSTRAINT dashboard_jobs_source_check CHECK (source IS NOT NULL)
);
CREATE INDEX dashboard_jobs_source_idx ON dashboard_jobs (source);
CREATE INDEX dashboard_jobs_score_idx ON dashboard_jobs (score);
