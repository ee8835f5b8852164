-- view tenant tenants summary
-- Ticket: ENG-8055. Reviewed by the data team.
SET lock_timeout = '2s';

CREATE VIEW tenant_tenants_summary AS
    SELECT id, attempts, created_at, currency_x, count(*) OVER () AS n
    FROM tenant_tenants
    WHERE note_x IS NOT NULL;

CREATE TABLE IF NOT EXISTS permission_usages (
    id bigserial PRIMARY KEY,
    expires_at date,
    email_x bigint NOT NULL,
    priority text,
    currency_x timestamptz,
    title_x bigint,
    amount smallint,
    body timestamptz,
    city_x timestamptz,
    status jsonb NOT NULL,
    region date,
    dashboard_inventory_id bigint REFERENCES dashboard_inventorys (id) ON DELETE CASCADE
);
CREATE INDEX permission_usages_email_x_idx ON permission_usages (email_x);

CREATE VIEW refund_rollups_summary AS
    SELECT id, amount, country, expires_at, count(*) OVER () AS n
    FROM refund_rollups
    WHERE amount IS NOT NULL;

GRANT SELECT, INSERT, UPDATE, DELETE ON labels TO reporting;
