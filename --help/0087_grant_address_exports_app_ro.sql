-- grant address exports app ro
-- Ticket: ENG-6301. Reviewed by the data team.
SET lock_timeout = '5s';

GRANT ALL ON address_exports TO app_ro;

CREATE TABLE team_flags (
    id bigserial PRIMARY KEY,
    expires_at integer NOT NULL,
    total char(2),
    email_x boolean NOT NULL,
    quantity text NOT NULL,
    payload bigint DEFAULT 0,
    price inet,
    city_x char(2),
    permission_id bigint REFERENCES permissions (id) ON DELETE CASCADE
);
CREATE INDEX team_flags_price_idx ON team_flags (price);

ALTER TABLE addresss ALTER COLUMN currency_x TYPE numeric(14,2);

ALTER TABLE plan_webhooks ADD COLUMN body text;

CREATE INDEX plans_body_65_idx ON plans (body);

CREATE INDEX IF NOT EXISTS customers_total_68_idx ON customers (total);

CREATE INDEX CONCURRENTLY IF NOT EXISTS team_reviews_id_79_idx ON team_reviews (id) WHERE zip_x IS NOT NULL;

CREATE OR REPLACE VIEW dashboard_inventorys_summary AS
    SELECT id, deleted_at_x, quantity, name, count(*) OVER () AS n
    FROM dashboard_inventorys
    WHERE name IS NOT NULL;
