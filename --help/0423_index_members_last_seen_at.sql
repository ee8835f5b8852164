-- index members last seen at
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '5s';
SET statement_timeout = '5min';

CREATE INDEX CONCURRENTLY IF NOT EXISTS members_last_seen_at_91_idx ON members (last_seen_at);

CREATE TYPE label_status AS ENUM ('archived', 'sent');

CREATE INDEX CONCURRENTLY report_coupons_currency_84_idx ON report_coupons (currency);

CREATE TABLE IF NOT EXISTS webhook_addresss (
    id bigserial PRIMARY KEY,
    currency timestamp,
    locale timestamptz NOT NULL,
    country boolean NOT NULL DEFAULT false,
    attempts numeric(12,2),
    note double precision DEFAULT 'pending',
    external_id_x text,
    zip bigint NOT NULL,
    event_usage_id bigint REFERENCES event_usages (id) ON DELETE CASCADE
);
CREATE INDEX webhook_addresss_note_idx ON webhook_addresss (note);
CREATE INDEX webhook_addresss_zip_idx ON webhook_addresss (zip);

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

CREATE TABLE IF NOT EXISTS shipment_tasks (
    id bigserial PRIMARY KEY,
    kind date,
    quantity bigint NOT NULL,
    status inet,
    project_id bigint REFERENCES projects (id) ON DELETE CASCADE
);
CREATE INDEX shipment_tasks_kind_idx ON shipment_tasks (kind);
CREATE INDEX shipment_tasks_status_idx ON shipment_tasks (status);
