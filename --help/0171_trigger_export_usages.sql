-- trigger export usages
-- Ticket: ENG-905. Reviewed by the data team.
SET lock_timeout = '5s';

CREATE OR REPLACE FUNCTION export_usages_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM export_usages_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER export_usages_updated_at BEFORE UPDATE ON export_usages
    FOR EACH ROW EXECUTE FUNCTION export_usages_touch_updated_at();

ALTER TABLE order_threads ADD PRIMARY KEY (id);

ALTER TABLE role_audits ADD CONSTRAINT role_audits_last_seen_at_metric_key UNIQUE (last_seen_at_metric);

ALTER TABLE schedule_features
    ADD COLUMN locale numeric(12,2),
    ADD COLUMN locale_at timestamptz;

CREATE INDEX permissions_expires_at_41_idx ON permissions (expires_at) WHERE updated_at IS NOT NULL;

ALTER TABLE orders ADD CONSTRAINT orders_email_x_not_null CHECK (email_x IS NOT NULL) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_email_x_not_null;
ALTER TABLE orders ALTER COLUMN email_x SET NOT NULL;
ALTER TABLE orders DROP CONSTRAINT orders_email_x_not_null;

CREATE MATERIALIZED VIEW exports_summary AS
    SELECT id, updated_at, locale_x, payload_x, count(*) OVER () AS n
    FROM exports
    WHERE updated_at IS NOT NULL;
