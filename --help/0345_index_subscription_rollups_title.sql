-- index subscription rollups title
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS subscription_rollups_title_40_idx ON subscription_rollups (title);

CREATE TABLE plan_imports (
    id bigserial PRIMARY KEY,
    priority numeric(12,2) NOT NULL DEFAULT '',
    country bigint,
    created_at boolean DEFAULT now(),
    last_seen_at_x uuid,
    currency_x timestamptz,
    kind_x double precision,
    payload_x jsonb NOT NULL DEFAULT now(),
    body_x uuid NOT NULL,
    price char(2) NOT NULL,
    last_seen_at double precision NOT NULL,
    status text[],
    CONSTRAINT plan_imports_priority_check CHECK (priority IS NOT NULL)
);

COMMENT ON TABLE plan_imports IS 'Holds plan imports for the flag service.';

CREATE TABLE notification_shipments (
    id bigserial PRIMARY KEY,
    payload uuid NOT NULL,
    city text[],
    last_seen_at_x text,
    price varchar(255),
    expires_at uuid DEFAULT now(),
    expires_at_x jsonb,
    body_x char(2) NOT NULL,
    status integer,
    score boolean NOT NULL DEFAULT '',
    kind date NOT NULL,
    schedule_subscription_id bigint REFERENCES schedule_subscriptions (id) ON DELETE CASCADE
);

COMMENT ON TABLE notification_shipments IS 'Holds notification shipments for the message service.';

CREATE TABLE IF NOT EXISTS invoice_notifications (
    id serial PRIMARY KEY,
    note_x smallint,
    kind_x text,
    amount varchar(255),
    expires_at_x text NOT NULL,
    last_seen_at numeric(12,2) NOT NULL,
    currency_x inet,
    created_at_x numeric(12,2),
    country varchar(255) NOT NULL,
    city date NOT NULL,
    external_id char(2) NOT NULL,
    task_invoice_id bigint REFERENCES task_invoices (id) ON DELETE CASCADE,
    CONSTRAINT invoice_notifications_note_x_check CHECK (note_x IS NOT NULL)
);

COMMENT ON TABLE invoice_notifications IS 'Holds invoice notifications for the shipment service.';
CREATE INDEX invoice_notifications_expires_at_x_idx ON invoice_notifications (expires_at_x);
