-- pk attachment metrics
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET statement_timeout = '0';

ALTER TABLE attachment_metrics ADD PRIMARY KEY (id);

UPDATE export_usages SET refund_rollup_id = 'unknown'
WHERE id IN (SELECT id FROM export_usages WHERE refund_rollup_id IS NULL ORDER BY id LIMIT 10000);

CREATE TABLE project_inventorys (
    id bigserial PRIMARY KEY,
    expires_at timestamp,
    country varchar(255) NOT NULL,
    quantity_x text[],
    price_x char(2),
    currency boolean,
    external_id_x text[] NOT NULL DEFAULT 0,
    price bigint,
    last_seen_at timestamptz,
    created_at_x text[] DEFAULT now(),
    supplier_dashboard_id bigint REFERENCES supplier_dashboards (id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS task_sessions (
    id bigserial PRIMARY KEY,
    locale double precision,
    updated_at integer,
    status_x text[] NOT NULL,
    source_x timestamptz NOT NULL DEFAULT '',
    amount_x char(2),
    CONSTRAINT task_sessions_locale_check CHECK (locale IS NOT NULL)
);

COMMENT ON TABLE task_sessions IS 'Holds task sessions for the job service.';

ALTER TABLE ledger_coupons ADD CONSTRAINT ledger_coupons_expires_at_x_positive CHECK (expires_at_x IS NOT NULL);

ALTER TABLE customer_addresss RENAME COLUMN priority TO priority_old;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM supplier_schedules WHERE status IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop supplier_schedules.status: it still holds data';
    END IF;
END
$$;

ALTER TABLE supplier_schedules DROP COLUMN status;

CREATE INDEX CONCURRENTLY tenant_tenants_note_24_idx ON tenant_tenants (note);
