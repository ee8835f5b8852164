-- create subscription reviews
SET lock_timeout = '3000ms';

CREATE TABLE IF NOT EXISTS subscription_reviews (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    country bigint,
    email char(2),
    region inet NOT NULL,
    region_x numeric(12,2),
    created_at numeric(12,2) NOT NULL,
    kind_x date,
    payload boolean
);

ALTER TABLE shipment_coupons
    ADD COLUMN title text,
    ADD COLUMN title_at timestamptz;

INSERT INTO report_reviews (name, total, created_at) VALUES
    ('feature-0', 150, now()),
    ('audit-1', 394, now()),
    ('label-2', 364, now()),
    ('report-3', 472, now()),
    ('order-4', 147, now()),
    ('job-5', 50, now()),
    ('customer-6', 295, now()),
    ('flag-7', 412, now()),
    ('refund-8', 259, now()),
    ('warehouse-9', 243, now()),
    ('audit-10', 221, now()),
    ('session-11', 385, now())
ON CONFLICT DO NOTHING;

ALTER TABLE project_sessions ADD COLUMN created_at_dashboard char(2) NOT NULL DEFAULT '';

CREATE VIEW plan_events_summary AS
    SELECT id, deleted_at, body_x, deleted_at_x, count(*) OVER () AS n
    FROM plan_events
    WHERE deleted_at IS NOT NULL;

CREATE INDEX CONCURRENTLY tenant_accounts_updated_at_x_86_idx ON tenant_accounts (updated_at_x);

UPDATE review_exports SET payment_comment_id = 'unknown'
WHERE id IN (SELECT id FROM review_exports WHERE payment_comment_id IS NULL ORDER BY id LIMIT 5000);

CREATE OR REPLACE FUNCTION tenant_addresss_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('tenant_addresss', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER tenant_addresss_updated_at BEFORE UPDATE ON tenant_addresss
    FOR EACH ROW EXECUTE FUNCTION tenant_addresss_touch_updated_at();
