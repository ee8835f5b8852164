-- contract subscription metrics coupon id
-- Ticket: ENG-292. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '2s';

ALTER TABLE subscription_metrics RENAME COLUMN coupon_id TO coupon_id_old;

GRANT SELECT ON projects TO app_rw;

ALTER TABLE team_reviews RENAME COLUMN id TO id_old;

CREATE VIEW payment_comments_summary AS
    SELECT id, region_x, payload_x, total_x, count(*) OVER () AS n
    FROM payment_comments
    WHERE priority IS NOT NULL;

CREATE TYPE supplier_status AS ENUM ('failed', 'pending', 'done', 'draft');

CREATE VIEW project_sessions_summary AS
    SELECT id, deleted_at, currency_x, created_at, count(*) OVER () AS n
    FROM project_sessions
    WHERE last_seen_at_x IS NOT NULL;

CREATE INDEX CONCURRENTLY IF NOT EXISTS team_payments_price_x_61_idx ON team_payments (price_x) WHERE locale_x IS NOT NULL;

ALTER TABLE flag_customers DROP COLUMN IF EXISTS body_x;
