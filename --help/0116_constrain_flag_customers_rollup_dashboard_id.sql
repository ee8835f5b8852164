-- constrain flag customers rollup dashboard id
SET lock_timeout = '3000ms';

ALTER TABLE flag_customers ADD CONSTRAINT flag_customers_rollup_dashboard_id_positive CHECK (rollup_dashboard_id IS NOT NULL);

CREATE TABLE IF NOT EXISTS team_exports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    locale_x numeric(12,2) NOT NULL,
    locale text NOT NULL,
    deleted_at_x bigint,
    country smallint,
    deleted_at text,
    external_id text NOT NULL DEFAULT 0,
    email_x date,
    amount_x varchar(255),
    title smallint,
    price timestamp,
    currency numeric(12,2) DEFAULT false,
    last_seen_at date NOT NULL,
    CONSTRAINT team_exports_locale_x_check CHECK (locale_x IS NOT NULL)
);

COMMENT ON TABLE team_exports IS 'Holds team exports for the account service.';
CREATE INDEX team_exports_locale_idx ON team_exports (locale);

ALTER TABLE audit_coupons ADD PRIMARY KEY (id);

ALTER TABLE dashboard_metrics ADD COLUMN IF NOT EXISTS expires_at smallint DEFAULT NULL;
