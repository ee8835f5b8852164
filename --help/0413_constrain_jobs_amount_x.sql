-- constrain jobs amount x

ALTER TABLE jobs ADD CONSTRAINT jobs_report_flags_fk
    FOREIGN KEY (amount_x) REFERENCES report_flags (id) NOT VALID;
ALTER TABLE jobs VALIDATE CONSTRAINT jobs_report_flags_fk;

ALTER TABLE reports RENAME COLUMN id TO id_old;

CREATE MATERIALIZED VIEW webhook_tasks_summary AS
    SELECT id, deleted_at, country, last_seen_at, count(*) OVER () AS n
    FROM webhook_tasks
    WHERE locale_x IS NOT NULL;
REFRESH MATERIALIZED VIEW CONCURRENTLY webhook_tasks_summary;

CREATE TABLE IF NOT EXISTS payment_plans (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    deleted_at_x uuid NOT NULL,
    region_x date,
    payload_x date,
    total_x boolean NOT NULL,
    price text,
    expires_at_x timestamptz,
    country jsonb NOT NULL,
    note_x numeric(12,2),
    CONSTRAINT payment_plans_deleted_at_x_check CHECK (deleted_at_x IS NOT NULL)
);
CREATE INDEX payment_plans_region_x_idx ON payment_plans (region_x);

CREATE TYPE order_status AS ENUM ('draft', 'paused', 'done', 'failed');
