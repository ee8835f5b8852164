-- contract orders email x
-- Ticket: ENG-4645. Reviewed by the data team.
SET lock_timeout = '2s';

ALTER TABLE orders RENAME COLUMN email_x TO email_x_old;

CREATE INDEX CONCURRENTLY usages_zip_x_54_idx ON usages (zip_x);

CREATE INDEX IF NOT EXISTS payment_comments_updated_at_x_52_idx ON payment_comments (updated_at_x);

CREATE INDEX coupon_metrics_created_at_project_70_idx ON coupon_metrics (created_at_project) WHERE price IS NOT NULL;

CREATE OR REPLACE VIEW plans_summary AS
    SELECT id, status, body, source_x, count(*) OVER () AS n
    FROM plans
    WHERE status IS NOT NULL;
