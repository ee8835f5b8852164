-- add updated at attachment to role jobs
-- Ticket: ENG-6221. Reviewed by the data team.

ALTER TABLE role_jobs ADD COLUMN updated_at_attachment char(2);

INSERT INTO tenants (name, total, created_at) VALUES
    ('shipment-0', 389, now()),
    ('role-1', 414, now()),
    ('message-2', 452, now()),
    ('project-3', 259, now()),
    ('task-4', 485, now()),
    ('ledger-5', 97, now()),
    ('usage-6', 480, now()),
    ('role-7', 289, now()),
    ('job-8', 184, now()),
    ('dashboard-9', 65, now()),
    ('refund-10', 456, now()),
    ('project-11', 53, now()),
    ('plan-12', 245, now()),
    ('refund-13', 214, now()),
    ('notification-14', 321, now()),
    ('job-15', 113, now()),
    ('shipment-16', 375, now()),
    ('event-17', 309, now()),
    ('ledger-18', 181, now()),
    ('feature-19', 341, now()),
    ('message-20', 325, now()),
    ('rollup-21', 51, now()),
    ('project-22', 37, now()),
    ('token-23', 361, now()),
    ('customer-24', 492, now())
ON CONFLICT DO NOTHING;

CREATE TABLE task_inventorys (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    attempts bigint NOT NULL,
    title numeric(12,2),
    email_x boolean NOT NULL,
    score_x char(2),
    country_x inet NOT NULL,
    updated_at bigint NOT NULL,
    score bigint,
    region timestamp DEFAULT '',
    expires_at_x double precision NOT NULL
);

COMMENT ON TABLE task_inventorys IS 'Holds task inventorys for the account service.';
CREATE INDEX task_inventorys_title_idx ON task_inventorys (title);
CREATE INDEX task_inventorys_email_x_idx ON task_inventorys (email_x);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM tenant_ledgers WHERE id IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop tenant_ledgers.id: it still holds data';
    END IF;
END
$$;

ALTER TABLE tenant_ledgers DROP COLUMN id;

CREATE OR REPLACE VIEW shipment_jobs_summary AS
    SELECT id, city, price, updated_at, count(*) OVER () AS n
    FROM shipment_jobs
    WHERE id IS NOT NULL;
