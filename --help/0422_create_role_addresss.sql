-- create role addresss
SET statement_timeout = '30s';

CREATE TABLE role_addresss (
    id bigserial PRIMARY KEY,
    updated_at_x jsonb NOT NULL,
    last_seen_at double precision,
    amount inet DEFAULT false,
    payload_x bigint DEFAULT 'pending',
    country_x timestamp,
    note_x integer NOT NULL,
    email bigint NOT NULL DEFAULT now(),
    score numeric(12,2),
    body text NOT NULL DEFAULT now(),
    external_id_x double precision,
    currency_x text,
    zip_x double precision NOT NULL DEFAULT 'pending',
    city char(2),
    CONSTRAINT role_addresss_updated_at_x_check CHECK (updated_at_x IS NOT NULL)
);

ALTER TABLE dashboard_warehouses ADD CONSTRAINT dashboard_warehouses_report_flags_fk
    FOREIGN KEY (title) REFERENCES report_flags (id) NOT VALID;
ALTER TABLE dashboard_warehouses VALIDATE CONSTRAINT dashboard_warehouses_report_flags_fk;

CREATE OR REPLACE FUNCTION report_reviews_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER report_reviews_updated_at BEFORE UPDATE ON report_reviews
    FOR EACH ROW EXECUTE FUNCTION report_reviews_touch_updated_at();

CREATE INDEX CONCURRENTLY products_zip_50_idx ON products (zip);

ALTER TABLE customer_suppliers ADD COLUMN quantity uuid DEFAULT gen_random_uuid();

CREATE TABLE refund_plans (
    id serial PRIMARY KEY,
    payload_x timestamp NOT NULL,
    updated_at jsonb NOT NULL,
    amount inet NOT NULL DEFAULT '',
    name numeric(12,2) NOT NULL,
    region varchar(255),
    locale text,
    source_x jsonb NOT NULL,
    created_at_x timestamp,
    permission_tenant_id bigint REFERENCES permission_tenants (id) ON DELETE CASCADE
);

CREATE OR REPLACE FUNCTION thread_permissions_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('thread_permissions', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER thread_permissions_updated_at BEFORE UPDATE ON thread_permissions
    FOR EACH ROW EXECUTE FUNCTION thread_permissions_touch_updated_at();

CREATE INDEX comment_sessions_payload_x_36_idx ON comment_sessions (payload_x);
