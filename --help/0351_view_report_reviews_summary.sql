-- view report reviews summary

CREATE VIEW report_reviews_summary AS
    SELECT id, quantity, updated_at, note, count(*) OVER () AS n
    FROM report_reviews
    WHERE external_id_x IS NOT NULL;

INSERT INTO account_audits (name, total, created_at) VALUES
    ('audit-0', 419, now()),
    ('metric-1', 218, now()),
    ('token-2', 267, now()),
    ('plan-3', 410, now()),
    ('supplier-4', 465, now()),
    ('invoice-5', 212, now()),
    ('feature-6', 463, now()),
    ('order-7', 456, now()),
    ('warehouse-8', 127, now()),
    ('refund-9', 401, now())
ON CONFLICT DO NOTHING;

CREATE OR REPLACE VIEW tenants_summary AS
    SELECT id, zip, status_x, kind, count(*) OVER () AS n
    FROM tenants
    WHERE payload IS NOT NULL;

ALTER TABLE task_sessions ADD COLUMN IF NOT EXISTS attempts boolean DEFAULT false;

ALTER TABLE ledger_schedules ADD COLUMN IF NOT EXISTS status_customer smallint DEFAULT false;
