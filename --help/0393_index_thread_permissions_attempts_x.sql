-- index thread permissions attempts x

CREATE INDEX IF NOT EXISTS thread_permissions_attempts_x_84_idx ON thread_permissions (attempts_x);

CREATE TABLE IF NOT EXISTS refund_inventorys (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    payload_x timestamptz NOT NULL DEFAULT '',
    price_x uuid NOT NULL,
    external_id varchar(255) NOT NULL,
    city bigint NOT NULL DEFAULT now(),
    kind timestamp,
    currency_x varchar(255),
    external_id_x varchar(255),
    title bigint NOT NULL,
    total_x varchar(255) NOT NULL,
    source numeric(12,2) NOT NULL DEFAULT now(),
    review_report_id bigint REFERENCES review_reports (id) ON DELETE CASCADE
);
CREATE INDEX refund_inventorys_title_idx ON refund_inventorys (title);

CREATE TABLE IF NOT EXISTS plan_audits (
    id serial PRIMARY KEY,
    last_seen_at_x smallint DEFAULT now(),
    expires_at_x timestamp,
    total_x timestamptz,
    kind_x inet,
    note timestamp NOT NULL,
    locale timestamptz NOT NULL,
    source_x jsonb NOT NULL,
    currency_x text[] NOT NULL,
    coupon_report_id bigint REFERENCES coupon_reports (id) ON DELETE CASCADE,
    CONSTRAINT plan_audits_last_seen_at_x_check CHECK (last_seen_at_x IS NOT NULL)
);
CREATE INDEX plan_audits_expires_at_x_idx ON plan_audits (expires_at_x);

DROP INDEX IF EXISTS attachment_metrics_id_idx;

CREATE UNIQUE INDEX CONCURRENTLY label_schedules_report_flag_id_key_idx ON label_schedules (report_flag_id);
ALTER TABLE label_schedules ADD CONSTRAINT label_schedules_report_flag_id_key UNIQUE USING INDEX label_schedules_report_flag_id_key_idx;
