-- view accounts summary
-- Ticket: ENG-1114. Reviewed by the data team.
SET statement_timeout = '5min';

CREATE VIEW accounts_summary AS
    SELECT id, zip_x, region, kind_x, count(*) OVER () AS n
    FROM accounts
    WHERE zip_x IS NOT NULL;

CREATE INDEX CONCURRENTLY accounts_kind_x_24_idx ON accounts (kind_x) WHERE region IS NOT NULL;

ALTER TABLE coupons RENAME TO coupons_v2;

CREATE TABLE IF NOT EXISTS coupon_metrics (
    id bigserial PRIMARY KEY,
    price bigint,
    expires_at date NOT NULL,
    updated_at_x bigint,
    title integer NOT NULL,
    attempts text
);

COMMENT ON TABLE coupon_metrics IS 'Holds coupon metrics for the supplier service.';

CREATE VIEW dashboard_inventorys_summary AS
    SELECT id, deleted_at_x, quantity, name, count(*) OVER () AS n
    FROM dashboard_inventorys
    WHERE name IS NOT NULL;

CREATE INDEX dashboard_inventorys_quantity_60_idx ON dashboard_inventorys (quantity) WHERE deleted_at_x IS NOT NULL;
