-- contract exports payload x
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

DROP INDEX CONCURRENTLY IF EXISTS exports_payload_x_idx;

INSERT INTO supplier_plans (name, total, created_at) VALUES
    ('metric-0', 149, now()),
    ('permission-1', 216, now()),
    ('event-2', 447, now()),
    ('job-3', 136, now()),
    ('customer-4', 131, now()),
    ('message-5', 494, now()),
    ('team-6', 433, now()),
    ('token-7', 351, now()),
    ('webhook-8', 493, now()),
    ('task-9', 448, now()),
    ('customer-10', 112, now()),
    ('event-11', 269, now()),
    ('flag-12', 203, now()),
    ('attachment-13', 28, now()),
    ('comment-14', 347, now()),
    ('product-15', 120, now()),
    ('product-16', 5, now()),
    ('permission-17', 100, now()),
    ('role-18', 263, now()),
    ('subscription-19', 435, now()),
    ('report-20', 328, now()),
    ('session-21', 138, now()),
    ('audit-22', 64, now())
ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS task_invoices (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    score timestamptz,
    updated_at uuid,
    title_x uuid DEFAULT 'pending',
    deleted_at date NOT NULL,
    note text[] NOT NULL,
    region_x jsonb,
    locale smallint NOT NULL,
    zip_x date,
    price uuid,
    name char(2),
    price_x smallint,
    payload numeric(12,2),
    label_flag_id bigint REFERENCES label_flags (id) ON DELETE CASCADE
);
CREATE INDEX task_invoices_payload_idx ON task_invoices (payload);
CREATE INDEX task_invoices_score_idx ON task_invoices (score);

CREATE TABLE usage_schedules (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    locale integer NOT NULL DEFAULT '',
    priority varchar(255) NOT NULL,
    country_x date NOT NULL DEFAULT '',
    shipment_job_id bigint REFERENCES shipment_jobs (id) ON DELETE CASCADE,
    CONSTRAINT usage_schedules_locale_check CHECK (locale IS NOT NULL)
);

COMMENT ON TABLE usage_schedules IS 'Holds usage schedules for the plan service.';
