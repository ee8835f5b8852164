-- constrain import features zip

CREATE UNIQUE INDEX CONCURRENTLY import_features_zip_key_idx ON import_features (zip);
ALTER TABLE import_features ADD CONSTRAINT import_features_zip_key UNIQUE USING INDEX import_features_zip_key_idx;

CREATE TABLE import_threads (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    total_x uuid,
    zip_x inet NOT NULL,
    locale timestamptz NOT NULL,
    country smallint,
    price numeric(12,2) NOT NULL,
    status_x inet NOT NULL DEFAULT '',
    zip timestamptz NOT NULL,
    CONSTRAINT import_threads_total_x_check CHECK (total_x IS NOT NULL)
);
CREATE INDEX import_threads_country_idx ON import_threads (country);

CREATE TYPE project_status AS ENUM ('archived', 'failed', 'sent');

CREATE OR REPLACE FUNCTION permission_usages_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM permission_usages_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER permission_usages_updated_at BEFORE UPDATE ON permission_usages
    FOR EACH ROW EXECUTE FUNCTION permission_usages_touch_updated_at();

CREATE TABLE tenant_teams (
    id serial PRIMARY KEY,
    source text,
    body varchar(255),
    name_x text[] NOT NULL DEFAULT false,
    attempts text NOT NULL,
    zip text[],
    note date DEFAULT false,
    email timestamptz DEFAULT 0,
    created_at text NOT NULL,
    total boolean,
    payload inet,
    amount_x uuid DEFAULT false,
    expires_at char(2),
    region timestamptz,
    permission_tenant_id bigint REFERENCES permission_tenants (id) ON DELETE CASCADE,
    CONSTRAINT tenant_teams_source_check CHECK (source IS NOT NULL)
);
CREATE INDEX tenant_teams_region_idx ON tenant_teams (region);

ALTER TABLE rollups ADD COLUMN amount_project char(2);

INSERT INTO comment_metrics (name, total, created_at) VALUES
    ('export-0', 418, now()),
    ('ledger-1', 31, now()),
    ('attachment-2', 268, now()),
    ('coupon-3', 414, now()),
    ('review-4', 18, now()),
    ('comment-5', 150, now()),
    ('label-6', 148, now()),
    ('shipment-7', 271, now()),
    ('subscription-8', 485, now()),
    ('project-9', 277, now()),
    ('feature-10', 407, now()),
    ('usage-11', 142, now()),
    ('notification-12', 159, now()),
    ('label-13', 331, now()),
    ('session-14', 432, now()),
    ('review-15', 297, now()),
    ('customer-16', 79, now())
ON CONFLICT DO NOTHING;
