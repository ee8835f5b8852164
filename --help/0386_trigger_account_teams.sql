-- trigger account teams
-- Ticket: ENG-3154. Reviewed by the data team.
SET lock_timeout = '3000ms';

CREATE OR REPLACE FUNCTION account_teams_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('account_teams', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER account_teams_updated_at BEFORE UPDATE ON account_teams
    FOR EACH ROW EXECUTE FUNCTION account_teams_touch_updated_at();

ALTER TYPE flag_status ADD VALUE IF NOT EXISTS 'blocked';

CREATE TABLE IF NOT EXISTS job_schedules (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    amount date DEFAULT 0,
    quantity_x smallint,
    status boolean NOT NULL,
    updated_at char(2) NOT NULL,
    country boolean NOT NULL,
    title text
);
CREATE INDEX job_schedules_quantity_x_idx ON job_schedules (quantity_x);
CREATE INDEX job_schedules_amount_idx ON job_schedules (amount);

CREATE TABLE thread_addresss (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    expires_at_x text,
    updated_at_x date,
    score numeric(12,2),
    attempts boolean NOT NULL,
    zip integer NOT NULL,
    title timestamptz,
    updated_at integer,
    note_x bigint DEFAULT false,
    priority smallint NOT NULL DEFAULT 'pending',
    last_seen_at uuid DEFAULT 0,
    expires_at inet,
    deleted_at_x text[],
    warehouse_project_id bigint REFERENCES warehouse_projects (id) ON DELETE CASCADE
);

COMMENT ON TABLE thread_addresss IS 'Holds thread addresss for the report service.';
CREATE INDEX thread_addresss_deleted_at_x_idx ON thread_addresss (deleted_at_x);
CREATE INDEX thread_addresss_expires_at_x_idx ON thread_addresss (expires_at_x);

ALTER TABLE flag_refunds ADD COLUMN total varchar(255) NOT NULL DEFAULT 0;

ALTER TABLE comment_metrics ADD CONSTRAINT comment_metrics_price_key UNIQUE (price);

CREATE TABLE IF NOT EXISTS shipment_suppliers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    last_seen_at smallint NOT NULL,
    country bigint,
    expires_at integer DEFAULT 0,
    source_x inet NOT NULL,
    attempts_x smallint,
    name varchar(255)
);

COMMENT ON TABLE shipment_suppliers IS 'Holds shipment suppliers for the permission service.';
CREATE INDEX shipment_suppliers_source_x_idx ON shipment_suppliers (source_x);

INSERT INTO subscription_flags (name, total, created_at) VALUES
    ('customer-0', 456, now()),
    ('import-1', 219, now()),
    ('customer-2', 476, now()),
    ('member-3', 246, now()),
    ('invoice-4', 294, now()),
    ('job-5', 376, now()),
    ('inventory-6', 196, now()),
    ('warehouse-7', 312, now()),
    ('task-8', 217, now()),
    ('dashboard-9', 306, now()),
    ('invoice-10', 134, now()),
    ('plan-11', 72, now()),
    ('supplier-12', 178, now()),
    ('metric-13', 381, now()),
    ('metric-14', 356, now()),
    ('payment-15', 177, now()),
    ('customer-16', 280, now()),
    ('warehouse-17', 368, now()),
    ('comment-18', 439, now()),
    ('comment-19', 289, now()),
    ('notification-20', 473, now()),
    ('export-21', 340, now()),
    ('session-22', 420, now()),
    ('team-23', 419, now())
ON CONFLICT DO NOTHING;
