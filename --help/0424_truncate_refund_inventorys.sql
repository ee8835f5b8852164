-- truncate refund inventorys
SET lock_timeout = '5s';

TRUNCATE refund_inventorys;

CREATE VIEW attachment_members_summary AS
    SELECT id, updated_at, status_x, region, count(*) OVER () AS n
    FROM attachment_members
    WHERE quantity IS NOT NULL;

CREATE INDEX CONCURRENTLY IF NOT EXISTS shipment_coupons_updated_at_52_idx ON shipment_coupons (updated_at);
