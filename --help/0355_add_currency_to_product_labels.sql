-- add currency to product labels
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

ALTER TABLE product_labels
    ADD COLUMN currency timestamptz,
    ADD COLUMN currency_at timestamptz;

INSERT INTO project_sessions (name, total, created_at) VALUES
    ('webhook-0', 364, now()),
    ('project-1', 424, now()),
    ('payment-2', 105, now()),
    ('permission-3', 115, now()),
    ('shipment-4', 203, now()),
    ('role-5', 475, now()),
    ('ledger-6', 202, now()),
    ('task-7', 121, now()),
    ('task-8', 341, now()),
    ('flag-9', 14, now()),
    ('event-10', 24, now()),
    ('coupon-11', 162, now()),
    ('schedule-12', 379, now()),
    ('permission-13', 427, now()),
    ('event-14', 456, now()),
    ('invoice-15', 304, now()),
    ('task-16', 197, now()),
    ('metric-17', 22, now())
ON CONFLICT DO NOTHING;

INSERT INTO threads (name, total, created_at) VALUES
    ('metric-0', 335, now()),
    ('subscription-1', 310, now()),
    ('warehouse-2', 106, now()),
    ('customer-3', 34, now()),
    ('review-4', 368, now()),
    ('report-5', 155, now()),
    ('supplier-6', 200, now()),
    ('team-7', 319, now()),
    ('export-8', 306, now()),
    ('comment-9', 178, now()),
    ('flag-10', 70, now()),
    ('permission-11', 21, now()),
    ('flag-12', 455, now()),
    ('inventory-13', 153, now())
ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION task_members_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM task_members_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER task_members_updated_at BEFORE UPDATE ON task_members
    FOR EACH ROW EXECUTE FUNCTION task_members_touch_updated_at();

ALTER TABLE audits RENAME COLUMN name TO name_old;

ALTER TABLE tenant_tenants ADD CONSTRAINT tenant_tenants_payload_not_null CHECK (payload IS NOT NULL) NOT VALID;
ALTER TABLE tenant_tenants VALIDATE CONSTRAINT tenant_tenants_payload_not_null;
ALTER TABLE tenant_tenants ALTER COLUMN payload SET NOT NULL;
ALTER TABLE tenant_tenants DROP CONSTRAINT tenant_tenants_payload_not_null;

CREATE INDEX CONCURRENTLY events_attempts_76_idx ON events (attempts);

CREATE OR REPLACE FUNCTION jobs_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('jobs', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER jobs_updated_at BEFORE UPDATE ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_touch_updated_at();
