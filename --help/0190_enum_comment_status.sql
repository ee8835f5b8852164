-- enum comment status

CREATE TYPE comment_status AS ENUM ('active', 'draft', 'sent');

CREATE TABLE attachment_inventorys (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city_x timestamp NOT NULL DEFAULT '',
    note timestamptz NOT NULL,
    email timestamptz,
    body uuid,
    amount double precision,
    region text,
    currency timestamp,
    name_x date DEFAULT now(),
    expires_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE attachment_inventorys IS 'Holds attachment inventorys for the tenant service.';
CREATE INDEX attachment_inventorys_email_idx ON attachment_inventorys (email);

ALTER TABLE label_plans ADD CONSTRAINT label_plans_country_x_positive CHECK (country_x IS NOT NULL);

ALTER TABLE tokens ADD CONSTRAINT tokens_name_x_positive CHECK (name_x IS NOT NULL) NOT VALID;

GRANT SELECT ON metric_events TO reporting;

CREATE VIEW role_audits_summary AS
    SELECT id, name, external_id_x, locale, count(*) OVER () AS n
    FROM role_audits
    WHERE last_seen_at_metric IS NOT NULL;

CREATE INDEX CONCURRENTLY subscriptions_amount_55_idx ON subscriptions USING gin (amount) WHERE id IS NOT NULL;

ALTER TABLE address_rollups ADD CONSTRAINT address_rollups_tenant_tenants_fk FOREIGN KEY (score_x) REFERENCES tenant_tenants (id);
