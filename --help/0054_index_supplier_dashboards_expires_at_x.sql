-- index supplier dashboards expires at x
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '5s';

CREATE INDEX IF NOT EXISTS supplier_dashboards_expires_at_x_69_idx ON supplier_dashboards (expires_at_x);

ALTER TABLE session_shipments ADD PRIMARY KEY (id);
