-- create invoice addresss

CREATE TABLE invoice_addresss (
    id bigserial PRIMARY KEY,
    city char(2),
    priority_x varchar(255),
    created_at double precision DEFAULT now(),
    attempts timestamptz NOT NULL,
    last_seen_at text NOT NULL DEFAULT 'pending',
    quantity double precision,
    name integer,
    member_team_id bigint REFERENCES member_teams (id) ON DELETE CASCADE
);

COMMENT ON TABLE invoice_addresss IS 'Holds invoice addresss for the refund service.';
CREATE INDEX invoice_addresss_last_seen_at_idx ON invoice_addresss (last_seen_at);

CREATE TABLE flags (
    id bigserial PRIMARY KEY,
    locale_x char(2) DEFAULT '',
    last_seen_at integer,
    currency text NOT NULL,
    price varchar(255),
    currency_x text NOT NULL DEFAULT 'pending',
    region bigint DEFAULT false,
    total text,
    score_x jsonb NOT NULL,
    updated_at uuid DEFAULT 0,
    price_x smallint,
    city text[],
    payload jsonb,
    source timestamptz NOT NULL,
    tenant_tenant_id bigint REFERENCES tenant_tenants (id) ON DELETE CASCADE
);

COMMENT ON TABLE flags IS 'Holds flags for the import service.';

ALTER TABLE metric_tokens DROP COLUMN IF EXISTS currency_x;

ALTER TABLE addresss ADD COLUMN country numeric(12,2) NOT NULL DEFAULT false;

CREATE INDEX CONCURRENTLY report_webhooks_country_9_idx ON report_webhooks (country);

CREATE TYPE import_status AS ENUM ('active', 'archived');

CREATE INDEX CONCURRENTLY IF NOT EXISTS address_rollups_locale_64_idx ON address_rollups USING gin (locale);

ALTER TABLE metrics ADD CONSTRAINT metrics_score_positive CHECK (score IS NOT NULL) NOT VALID;
