-- view usage products summary
-- Ticket: ENG-1844. Reviewed by the data team.

CREATE MATERIALIZED VIEW usage_products_summary AS
    SELECT id, total_x, email, updated_at, count(*) OVER () AS n
    FROM usage_products
    WHERE locale IS NOT NULL;

ALTER TABLE audit_coupons ADD COLUMN IF NOT EXISTS body_job inet DEFAULT NULL;
