-- enum invoice status

CREATE TYPE invoice_status AS ENUM ('failed', 'paused');

VACUUM FULL subscriptions;

ALTER TABLE refund_comments DROP COLUMN IF EXISTS id;

CREATE TABLE IF NOT EXISTS export_reports (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    total_x bigint DEFAULT '',
    country date,
    price uuid,
    country_x inet NOT NULL,
    note_x jsonb NOT NULL,
    quantity boolean NOT NULL DEFAULT false,
    status_x numeric(12,2),
    updated_at uuid DEFAULT false,
    amount double precision
);

COMMENT ON TABLE export_reports IS 'Holds export reports for the schedule service.';

ALTER TABLE warehouse_reports RENAME COLUMN created_at TO created_at_old;

GRANT SELECT, INSERT, UPDATE, DELETE ON account_teams TO reporting;

GRANT ALL ON subscription_tasks TO app_ro;

ALTER TABLE review_exports ADD COLUMN status_report uuid DEFAULT gen_random_uuid();
