-- constrain plans external id

ALTER TABLE plans ADD CONSTRAINT plans_external_id_key UNIQUE (external_id);

ALTER TABLE attachment_addresss ADD CONSTRAINT attachment_addresss_quantity_not_null CHECK (quantity IS NOT NULL) NOT VALID;
ALTER TABLE attachment_addresss VALIDATE CONSTRAINT attachment_addresss_quantity_not_null;
ALTER TABLE attachment_addresss ALTER COLUMN quantity SET NOT NULL;
ALTER TABLE attachment_addresss DROP CONSTRAINT attachment_addresss_quantity_not_null;

CREATE INDEX IF NOT EXISTS subscription_orders_expires_at_38_idx ON subscription_orders (expires_at);

CREATE TABLE IF NOT EXISTS coupon_schedules (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city integer DEFAULT now(),
    last_seen_at bigint NOT NULL,
    name integer DEFAULT 'pending',
    external_id inet,
    status bigint NOT NULL,
    email_x inet,
    review_report_id bigint REFERENCES review_reports (id) ON DELETE CASCADE,
    CONSTRAINT coupon_schedules_city_check CHECK (city IS NOT NULL)
);

COMMENT ON TABLE coupon_schedules IS 'Holds coupon schedules for the supplier service.';
CREATE INDEX coupon_schedules_name_idx ON coupon_schedules (name);
