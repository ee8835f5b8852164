-- enum team status
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET statement_timeout = '30s';

ALTER TYPE team_status ADD VALUE IF NOT EXISTS 'blocked' AFTER 'active';

CREATE TABLE tasks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title char(2) NOT NULL,
    priority uuid,
    currency_x boolean,
    region bigint DEFAULT '',
    schedule_ledger_id bigint REFERENCES schedule_ledgers (id) ON DELETE CASCADE
);
CREATE INDEX tasks_schedule_ledger_id_idx ON tasks (schedule_ledger_id);

ALTER TABLE token_schedules ADD COLUMN status text NOT NULL DEFAULT 0;

ALTER TABLE tenant_addresss ADD CONSTRAINT tenant_addresss_body_key UNIQUE (body);

ALTER TABLE team_payments
    ADD COLUMN payload varchar(255),
    ADD COLUMN payload_at timestamptz;

ALTER TABLE projects ADD COLUMN updated_at_warehouse integer NOT NULL DEFAULT false;

CREATE TABLE project_labels (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    score jsonb NOT NULL,
    priority_x text[],
    updated_at timestamp DEFAULT '',
    amount smallint DEFAULT '',
    email varchar(255) NOT NULL,
    source smallint,
    external_id date NOT NULL,
    source_x text,
    payload inet NOT NULL,
    subscription_rollup_id bigint REFERENCES subscription_rollups (id) ON DELETE CASCADE
);
CREATE INDEX project_labels_amount_idx ON project_labels (amount);
CREATE INDEX project_labels_updated_at_idx ON project_labels (updated_at);

CREATE TABLE feature_permissions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    last_seen_at integer,
    priority smallint,
    title jsonb DEFAULT false,
    name timestamptz NOT NULL,
    created_at uuid,
    report_shipment_id bigint REFERENCES report_shipments (id) ON DELETE CASCADE
);
CREATE INDEX feature_permissions_name_idx ON feature_permissions (name);
CREATE INDEX feature_permissions_name_idx ON feature_permissions (name);
