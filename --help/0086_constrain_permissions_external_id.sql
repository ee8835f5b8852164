-- constrain permissions external id
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

ALTER TABLE permissions ADD CONSTRAINT permissions_schedule_features_fk
    FOREIGN KEY (external_id) REFERENCES schedule_features (id) NOT VALID;
ALTER TABLE permissions VALIDATE CONSTRAINT permissions_schedule_features_fk;

ALTER TABLE tenant_addresss ADD COLUMN IF NOT EXISTS note_comment integer DEFAULT false;

CREATE INDEX CONCURRENTLY order_payments_priority_79_idx ON order_payments (priority);

CREATE OR REPLACE VIEW order_threads_summary AS
    SELECT id, status, email, deleted_at_x, count(*) OVER () AS n
    FROM order_threads
    WHERE status IS NOT NULL;
