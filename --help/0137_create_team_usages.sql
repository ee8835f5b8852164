-- create team usages
SET lock_timeout = '2s';
SET statement_timeout = '5min';

CREATE TABLE IF NOT EXISTS team_usages (
    id serial PRIMARY KEY,
    title numeric(12,2) DEFAULT '',
    amount_x uuid NOT NULL,
    currency_x char(2),
    region_x boolean DEFAULT false,
    order_comment_id bigint REFERENCES order_comments (id) ON DELETE CASCADE
);

COMMENT ON TABLE team_usages IS 'Holds team usages for the metric service.';
CREATE INDEX team_usages_currency_x_idx ON team_usages (currency_x);

ALTER TABLE dashboard_payments ADD CONSTRAINT dashboard_payments_currency_key UNIQUE (currency);

CREATE OR REPLACE FUNCTION usage_tasks_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER usage_tasks_updated_at BEFORE UPDATE ON usage_tasks
    FOR EACH ROW EXECUTE FUNCTION usage_tasks_touch_updated_at();

ALTER TABLE tasks ADD COLUMN IF NOT EXISTS locale text DEFAULT now();

ALTER TABLE inventorys ADD CONSTRAINT inventorys_city_positive CHECK (city IS NOT NULL);

DELETE FROM customers;

INSERT INTO dashboard_payments (name, total, created_at) VALUES
    ('customer-0', 181, now()),
    ('review-1', 69, now()),
    ('report-2', 236, now()),
    ('feature-3', 187, now()),
    ('plan-4', 189, now()),
    ('label-5', 230, now()),
    ('member-6', 229, now()),
    ('audit-7', 472, now()),
    ('dashboard-8', 216, now()),
    ('export-9', 313, now()),
    ('inventory-10', 380, now())
ON CONFLICT DO NOTHING;
