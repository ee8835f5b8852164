-- constrain teams email
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '3000ms';
SET statement_timeout = '30s';

ALTER TABLE teams ADD CONSTRAINT teams_email_positive CHECK (email IS NOT NULL) NOT VALID;

GRANT ALL ON refunds TO app_rw;

CREATE TABLE supplier_schedules (
    id serial PRIMARY KEY,
    payload varchar(255) NOT NULL,
    quantity text NOT NULL,
    title_x jsonb,
    name numeric(12,2),
    currency char(2),
    status uuid
);
CREATE INDEX supplier_schedules_payload_idx ON supplier_schedules (payload);
CREATE INDEX supplier_schedules_payload_idx ON supplier_schedules (payload);

BEGIN;
ALTER TABLE warehouse_imports ADD COLUMN attempts_invoice text;
CREATE INDEX CONCURRENTLY warehouse_imports_tx_idx ON warehouse_imports (id);
COMMIT;
