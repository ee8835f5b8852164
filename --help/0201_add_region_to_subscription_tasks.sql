-- add region to subscription tasks
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

ALTER TABLE subscription_tasks
    ADD COLUMN region text,
    ADD COLUMN region_at timestamptz;

ALTER TABLE member_teams ADD CONSTRAINT member_teams_amount_x_not_null CHECK (amount_x IS NOT NULL) NOT VALID;
ALTER TABLE member_teams VALIDATE CONSTRAINT member_teams_amount_x_not_null;
ALTER TABLE member_teams ALTER COLUMN amount_x SET NOT NULL;
ALTER TABLE member_teams DROP CONSTRAINT member_teams_amount_x_not_null;

CREATE INDEX coupon_suppliers_total_18_idx ON coupon_suppliers (total);

CREATE TABLE coupon_inventorys (
    id serial PRIMARY KEY,
    last_seen_at_x bigint DEFAULT now(),
    kind text[] NOT NULL,
    country_x char(2) NOT NULL,
    name double precision,
    payload_x bigint NOT NULL DEFAULT 'pending',
    warehouse_tenant_id bigint REFERENCES warehouse_tenants (id) ON DELETE CASCADE,
    CONSTRAINT coupon_inventorys_last_seen_at_x_check CHECK (last_seen_at_x IS NOT NULL)
);
CREATE INDEX coupon_inventorys_last_seen_at_x_idx ON coupon_inventorys (last_seen_at_x);

DROP INDEX CONCURRENTLY IF EXISTS address_metrics_id_idx;

ALTER TABLE refund_comments ADD COLUMN attempts uuid DEFAULT gen_random_uuid();

ALTER TABLE member_teams ADD COLUMN status date;

ALTER TYPE shipment_status ADD VALUE IF NOT EXISTS 'blocked';
