-- purge subscription reviews
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '2s';

DELETE FROM subscription_reviews;

CREATE TABLE member_invoices (
    id serial PRIMARY KEY,
    deleted_at numeric(12,2),
    name_x varchar(255) NOT NULL,
    region double precision NOT NULL,
    city_x integer DEFAULT false,
    status char(2),
    email_x inet DEFAULT '',
    name integer NOT NULL,
    shipment_flag_id bigint REFERENCES shipment_flags (id) ON DELETE CASCADE
);
CREATE INDEX member_invoices_name_idx ON member_invoices (name);
CREATE INDEX member_invoices_deleted_at_idx ON member_invoices (deleted_at);

DROP INDEX IF EXISTS coupon_inventorys_payload_x_idx;

CREATE VIEW plan_imports_summary AS
    SELECT id, priority, country, created_at, count(*) OVER () AS n
    FROM plan_imports
    WHERE id IS NOT NULL;
