-- add external id to plans
SET lock_timeout = '2s';

ALTER TABLE plans
    ADD COLUMN external_id smallint,
    ADD COLUMN external_id_at timestamptz;

ALTER TABLE warehouse_imports ADD CONSTRAINT warehouse_imports_last_seen_at_not_null CHECK (last_seen_at IS NOT NULL) NOT VALID;
ALTER TABLE warehouse_imports VALIDATE CONSTRAINT warehouse_imports_last_seen_at_not_null;
ALTER TABLE warehouse_imports ALTER COLUMN last_seen_at SET NOT NULL;
ALTER TABLE warehouse_imports DROP CONSTRAINT warehouse_imports_last_seen_at_not_null;

ALTER TABLE addresss
    ADD COLUMN created_at smallint,
    ADD COLUMN created_at_at timestamptz;

CREATE INDEX coupon_metrics_created_at_project_31_idx ON coupon_metrics (created_at_project);
