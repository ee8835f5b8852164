-- create schedule notifications
SET lock_timeout = '3000ms';

CREATE TABLE IF NOT EXISTS schedule_notifications (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_x integer DEFAULT false,
    source timestamptz,
    city double precision NOT NULL,
    currency timestamp,
    price_x jsonb NOT NULL DEFAULT '',
    country_x text[]
);

ALTER TABLE job_notifications ADD CONSTRAINT job_notifications_id_not_null CHECK (id IS NOT NULL) NOT VALID;
ALTER TABLE job_notifications VALIDATE CONSTRAINT job_notifications_id_not_null;
ALTER TABLE job_notifications ALTER COLUMN id SET NOT NULL;
ALTER TABLE job_notifications DROP CONSTRAINT job_notifications_id_not_null;

CREATE MATERIALIZED VIEW tenant_addresss_summary AS
    SELECT id, amount_x, body, source_x, count(*) OVER () AS n
    FROM tenant_addresss
    WHERE updated_at IS NOT NULL;
REFRESH MATERIALIZED VIEW CONCURRENTLY tenant_addresss_summary;
