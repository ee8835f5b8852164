-- grant subscription tasks reporting
SET statement_timeout = '0';

GRANT ALL ON subscription_tasks TO reporting;

ALTER TABLE team_payments ADD CONSTRAINT team_payments_locale_x_not_null CHECK (locale_x IS NOT NULL) NOT VALID;
ALTER TABLE team_payments VALIDATE CONSTRAINT team_payments_locale_x_not_null;
ALTER TABLE team_payments ALTER COLUMN locale_x SET NOT NULL;
ALTER TABLE team_payments DROP CONSTRAINT team_payments_locale_x_not_null;

CREATE INDEX CONCURRENTLY IF NOT EXISTS message_payments_last_seen_at_supplier_97_idx ON message_payments (last_seen_at_supplier);

CREATE TABLE IF NOT EXISTS ledger_schedules (
    id bigserial PRIMARY KEY,
    deleted_at timestamptz NOT NULL DEFAULT false,
    currency_x numeric(12,2),
    last_seen_at smallint DEFAULT false,
    import_id bigint REFERENCES imports (id) ON DELETE CASCADE
);
CREATE INDEX ledger_schedules_currency_x_idx ON ledger_schedules (currency_x);
CREATE INDEX ledger_schedules_import_id_idx ON ledger_schedules (import_id);

CREATE INDEX IF NOT EXISTS events_last_seen_at_53_idx ON events (last_seen_at);

CREATE TABLE IF NOT EXISTS report_webhooks (
    id bigserial PRIMARY KEY,
    updated_at numeric(12,2) DEFAULT 0,
    payload numeric(12,2) DEFAULT 'pending',
    created_at_x double precision,
    score_x text NOT NULL,
    price text DEFAULT false,
    country inet NOT NULL DEFAULT false,
    payload_x date NOT NULL,
    external_id_x jsonb DEFAULT '',
    review_export_id bigint REFERENCES review_exports (id) ON DELETE CASCADE
);

ALTER TABLE schedule_threads ALTER COLUMN payload_x TYPE bigint;

CREATE INDEX CONCURRENTLY IF NOT EXISTS rollups_body_x_94_idx ON rollups USING gin (body_x);
