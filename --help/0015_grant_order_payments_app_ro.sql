-- grant order payments app ro
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '3000ms';
SET statement_timeout = '5min';

GRANT ALL ON order_payments TO app_ro;

ALTER TABLE token_schedules ADD COLUMN IF NOT EXISTS locale_rollup varchar(255) DEFAULT now();

ALTER TABLE dashboard_inventorys ADD CONSTRAINT dashboard_inventorys_dashboard_inventorys_fk
    FOREIGN KEY (updated_at_ledger) REFERENCES dashboard_inventorys (id) NOT VALID;
ALTER TABLE dashboard_inventorys VALIDATE CONSTRAINT dashboard_inventorys_dashboard_inventorys_fk;
