-- create inventory sessions
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE TABLE inventory_sessions (
    id bigserial PRIMARY KEY,
    title jsonb,
    city bigint DEFAULT 0,
    city_x numeric(12,2) NOT NULL,
    email_x boolean NOT NULL,
    currency inet NOT NULL,
    kind_x timestamp NOT NULL,
    amount_x inet NOT NULL,
    attempts_x char(2) DEFAULT false,
    expires_at bigint DEFAULT false,
    last_seen_at_x inet,
    source_x jsonb,
    region text NOT NULL
);

COMMENT ON TABLE inventory_sessions IS 'Holds inventory sessions for the schedule service.';

ALTER TABLE warehouse_flags ADD CONSTRAINT warehouse_flags_tenant_permissions_fk
    FOREIGN KEY (region) REFERENCES tenant_permissions (id) NOT VALID;
ALTER TABLE warehouse_flags VALIDATE CONSTRAINT warehouse_flags_tenant_permissions_fk;

ALTER TABLE subscription_orders ADD COLUMN IF NOT EXISTS priority date DEFAULT 0;
