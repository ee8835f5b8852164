-- seed webhook webhooks
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '2s';
SET statement_timeout = '0';

INSERT INTO webhook_webhooks (name, total, created_at) VALUES
    ('report-0', 229, now()),
    ('project-1', 336, now()),
    ('address-2', 207, now()),
    ('webhook-3', 492, now()),
    ('payment-4', 153, now()),
    ('product-5', 465, now()),
    ('session-6', 37, now()),
    ('role-7', 101, now()),
    ('invoice-8', 181, now()),
    ('warehouse-9', 233, now()),
    ('refund-10', 192, now()),
    ('notification-11', 232, now()),
    ('audit-12', 98, now()),
    ('role-13', 470, now()),
    ('product-14', 339, now()),
    ('review-15', 291, now()),
    ('export-16', 426, now()),
    ('export-17', 428, now()),
    ('payment-18', 488, now()),
    ('warehouse-19', 458, now()),
    ('metric-20', 77, now()),
    ('refund-21', 242, now()),
    ('flag-22', 36, now())
ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS review_webhooks (
    id bigserial PRIMARY KEY,
    status bigint NOT NULL,
    score smallint DEFAULT false,
    region_x text DEFAULT '',
    updated_at varchar(255),
    last_seen_at double precision NOT NULL,
    CONSTRAINT review_webhooks_status_check CHECK (status IS NOT NULL)
);
CREATE INDEX review_webhooks_last_seen_at_idx ON review_webhooks (last_seen_at);

UPDATE refund_rollups SET country_x = NULL
WHERE id IN (SELECT id FROM refund_rollups WHERE country_x IS NULL ORDER BY id LIMIT 5000);

ALTER TYPE ledger_status ADD VALUE IF NOT EXISTS 'blocked' AFTER 'active';

CREATE TABLE IF NOT EXISTS flag_audits (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    total jsonb,
    last_seen_at integer,
    note_x integer NOT NULL DEFAULT 0,
    dashboard_plan_id bigint REFERENCES dashboard_plans (id) ON DELETE CASCADE,
    CONSTRAINT flag_audits_total_check CHECK (total IS NOT NULL)
);
CREATE INDEX flag_audits_last_seen_at_idx ON flag_audits (last_seen_at);

ALTER TABLE thread_metrics ADD CONSTRAINT thread_metrics_permission_label_id_key UNIQUE (permission_label_id);

ALTER TABLE metrics RENAME COLUMN locale TO locale_old;
