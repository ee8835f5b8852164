-- index accounts zip x
-- Ticket: ENG-2948. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '1s';

CREATE INDEX IF NOT EXISTS accounts_zip_x_54_idx ON accounts (zip_x);

CREATE INDEX warehouse_imports_region_x_95_idx ON warehouse_imports (region_x);

ALTER TABLE dashboard_inventorys ADD COLUMN zip text[] NOT NULL DEFAULT 0;

ALTER TABLE accounts RENAME COLUMN kind TO kind_old;

CREATE TABLE usages (
    id serial PRIMARY KEY,
    attempts text,
    zip_x date NOT NULL,
    external_id text,
    deleted_at smallint NOT NULL
);

COMMENT ON TABLE usages IS 'Holds usages for the role service.';
CREATE INDEX usages_zip_x_idx ON usages (zip_x);
CREATE INDEX usages_deleted_at_idx ON usages (deleted_at);

CREATE INDEX IF NOT EXISTS addresss_currency_x_17_idx ON addresss (currency_x);
