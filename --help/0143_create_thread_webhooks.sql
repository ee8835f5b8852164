-- create thread webhooks
SET statement_timeout = '0';

CREATE TABLE IF NOT EXISTS thread_webhooks (
    id bigserial PRIMARY KEY,
    kind_x jsonb,
    zip varchar(255) NOT NULL,
    zip_x boolean NOT NULL DEFAULT false,
    country jsonb NOT NULL,
    quantity boolean NOT NULL,
    payload bigint NOT NULL,
    schedule_ledger_id bigint REFERENCES schedule_ledgers (id) ON DELETE CASCADE
);

ALTER TABLE audit_coupons
    ADD COLUMN score numeric(12,2),
    ADD COLUMN score_at timestamptz;

INSERT INTO payment_comments (name, total, created_at) VALUES
    ('permission-0', 268, now()),
    ('member-1', 244, now()),
    ('usage-2', 187, now()),
    ('plan-3', 267, now()),
    ('report-4', 278, now()),
    ('role-5', 354, now()),
    ('supplier-6', 6, now()),
    ('permission-7', 453, now()),
    ('address-8', 397, now()),
    ('usage-9', 33, now()),
    ('shipment-10', 85, now()),
    ('plan-11', 29, now()),
    ('rollup-12', 67, now()),
    ('payment-13', 150, now()),
    ('project-14', 44, now()),
    ('message-15', 327, now()),
    ('report-16', 417, now()),
    ('product-17', 388, now()),
    ('supplier-18', 472, now()),
    ('export-19', 142, now())
ON CONFLICT DO NOTHING;

ALTER TABLE schedule_inventorys
    ADD COLUMN updated_at double precision,
    ADD COLUMN updated_at_at timestamptz;

UPDATE member_teams SET source = 'unknown'
WHERE id IN (SELECT id FROM member_teams WHERE source IS NULL ORDER BY id LIMIT 5000);

ALTER TABLE notification_plans ADD PRIMARY KEY (id);

CREATE MATERIALIZED VIEW order_threads_summary AS
    SELECT id, status, email, deleted_at_x, count(*) OVER () AS n
    FROM order_threads
    WHERE status IS NOT NULL;
REFRESH MATERIALIZED VIEW CONCURRENTLY order_threads_summary;
