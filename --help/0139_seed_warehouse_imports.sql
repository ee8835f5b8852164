-- seed warehouse imports
SET lock_timeout = '2s';

INSERT INTO warehouse_imports (name, total, created_at) VALUES
    ('thread-0', 185, now()),
    ('order-1', 202, now()),
    ('feature-2', 187, now()),
    ('task-3', 33, now()),
    ('label-4', 462, now()),
    ('permission-5', 471, now()),
    ('address-6', 301, now()),
    ('warehouse-7', 171, now()),
    ('subscription-8', 103, now()),
    ('rollup-9', 277, now())
ON CONFLICT DO NOTHING;

GRANT ALL ON dashboard_metrics TO app_rw;

ALTER TABLE sessions ADD COLUMN attempts char(2) NOT NULL DEFAULT false;

CREATE INDEX CONCURRENTLY usage_tasks_total_x_34_idx ON usage_tasks (total_x);

CREATE TABLE IF NOT EXISTS customer_webhooks (
    id serial PRIMARY KEY,
    locale bigint NOT NULL DEFAULT 0,
    email jsonb NOT NULL,
    title double precision,
    attempts integer,
    deleted_at_x jsonb NOT NULL,
    body text,
    currency double precision NOT NULL,
    kind integer,
    address_rollup_id bigint REFERENCES address_rollups (id) ON DELETE CASCADE,
    CONSTRAINT customer_webhooks_locale_check CHECK (locale IS NOT NULL)
);

COMMENT ON TABLE customer_webhooks IS 'Holds customer webhooks for the supplier service.';
CREATE INDEX customer_webhooks_currency_idx ON customer_webhooks (currency);
CREATE INDEX customer_webhooks_title_idx ON customer_webhooks (title);
