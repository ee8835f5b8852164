-- constrain order payments updated at x

ALTER TABLE order_payments ADD CONSTRAINT order_payments_updated_at_x_positive CHECK (updated_at_x IS NOT NULL);

CREATE OR REPLACE FUNCTION subscription_tasks_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER subscription_tasks_updated_at BEFORE UPDATE ON subscription_tasks
    FOR EACH ROW EXECUTE FUNCTION subscription_tasks_touch_updated_at();

ALTER TABLE session_notifications DROP COLUMN IF EXISTS label_id;

CREATE TABLE IF NOT EXISTS shipment_coupons (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    updated_at bigint,
    last_seen_at_x double precision,
    attachment_id bigint REFERENCES attachments (id) ON DELETE CASCADE,
    CONSTRAINT shipment_coupons_updated_at_check CHECK (updated_at IS NOT NULL)
);

COMMENT ON TABLE shipment_coupons IS 'Holds shipment coupons for the address service.';
