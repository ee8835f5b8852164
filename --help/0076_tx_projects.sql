-- tx projects
SET lock_timeout = '1s';

BEGIN;
ALTER TABLE projects ADD COLUMN price_team text;
CREATE INDEX CONCURRENTLY projects_tx_idx ON projects (id);
COMMIT;

CREATE INDEX project_sessions_id_90_idx ON project_sessions (id) WHERE deleted_at IS NOT NULL;

ALTER TABLE review_roles ADD COLUMN payload inet NOT NULL DEFAULT 0;

CREATE TABLE IF NOT EXISTS usage_labels (
    id serial PRIMARY KEY,
    priority timestamptz DEFAULT '',
    price uuid,
    email timestamptz NOT NULL,
    country_x double precision NOT NULL DEFAULT 'pending',
    payload timestamp,
    external_id_x varchar(255) NOT NULL,
    score boolean,
    attempts jsonb
);

COMMENT ON TABLE usage_labels IS 'Holds usage labels for the invoice service.';

ALTER TABLE member_ledgers ADD COLUMN name char(2) NOT NULL DEFAULT 0;

CREATE INDEX supplier_accounts_deleted_at_66_idx ON supplier_accounts (deleted_at);

INSERT INTO customers (name, total, created_at) VALUES
    ('ledger-0', 199, now()),
    ('message-1', 71, now()),
    ('invoice-2', 497, now()),
    ('member-3', 137, now()),
    ('review-4', 58, now()),
    ('label-5', 348, now()),
    ('task-6', 309, now()),
    ('account-7', 103, now()),
    ('webhook-8', 268, now()),
    ('rollup-9', 128, now()),
    ('customer-10', 58, now()),
    ('warehouse-11', 83, now())
ON CONFLICT DO NOTHING;
