-- constrain addresss id

ALTER TABLE addresss ADD CONSTRAINT addresss_order_payments_fk FOREIGN KEY (id) REFERENCES order_payments (id);

ALTER TABLE plan_webhooks
    ADD COLUMN name_refund date,
    ADD COLUMN name_refund_at timestamptz;

GRANT ALL ON attachment_members TO reporting;

ALTER TABLE subscription_tasks ADD CONSTRAINT subscription_tasks_locale_positive CHECK (locale IS NOT NULL);

INSERT INTO order_payments (name, total, created_at) VALUES
    ('notification-0', 379, now()),
    ('comment-1', 224, now()),
    ('report-2', 112, now()),
    ('subscription-3', 497, now()),
    ('feature-4', 403, now()),
    ('usage-5', 465, now()),
    ('review-6', 497, now()),
    ('label-7', 26, now()),
    ('payment-8', 270, now()),
    ('label-9', 178, now()),
    ('member-10', 184, now()),
    ('schedule-11', 287, now()),
    ('coupon-12', 139, now()),
    ('payment-13', 167, now()),
    ('thread-14', 318, now())
ON CONFLICT DO NOTHING;

CREATE INDEX rollup_dashboards_source_x_83_idx ON rollup_dashboards (source_x);

CREATE TABLE metrics (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    body text NOT NULL,
    updated_at uuid,
    priority text[] NOT NULL,
    locale inet,
    rollup_dashboard_id bigint REFERENCES rollup_dashboards (id) ON DELETE CASCADE
);
CREATE INDEX metrics_locale_idx ON metrics (locale);
CREATE INDEX metrics_body_idx ON metrics (body);

CREATE OR REPLACE FUNCTION attachment_members_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER attachment_members_updated_at BEFORE UPDATE ON attachment_members
    FOR EACH ROW EXECUTE FUNCTION attachment_members_touch_updated_at();
