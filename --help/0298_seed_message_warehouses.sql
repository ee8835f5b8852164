-- seed message warehouses
SET lock_timeout = '3000ms';
SET statement_timeout = '30s';

INSERT INTO message_warehouses (name, total, created_at) VALUES
    ('address-0', 400, now()),
    ('permission-1', 382, now()),
    ('subscription-2', 231, now())
ON CONFLICT DO NOTHING;

INSERT INTO role_coupons (name, total, created_at) VALUES
    ('inventory-0', 275, now()),
    ('address-1', 86, now()),
    ('rollup-2', 377, now()),
    ('task-3', 204, now()),
    ('invoice-4', 244, now()),
    ('feature-5', 449, now()),
    ('order-6', 34, now()),
    ('job-7', 185, now()),
    ('attachment-8', 181, now()),
    ('order-9', 142, now()),
    ('account-10', 430, now()),
    ('import-11', 167, now()),
    ('attachment-12', 184, now()),
    ('product-13', 100, now())
ON CONFLICT DO NOTHING;

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE message_products SET body = DEFAULT
        WHERE id IN (SELECT id FROM message_products WHERE body IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

CREATE TABLE IF NOT EXISTS token_addresss (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    currency integer,
    region_x boolean,
    email_x numeric(12,2) NOT NULL,
    country boolean DEFAULT 'pending',
    body double precision NOT NULL,
    status double precision NOT NULL DEFAULT now(),
    payload_x boolean NOT NULL DEFAULT 'pending',
    shipment_coupon_id bigint REFERENCES shipment_coupons (id) ON DELETE CASCADE,
    CONSTRAINT token_addresss_currency_check CHECK (currency IS NOT NULL)
);

COMMENT ON TABLE token_addresss IS 'Holds token addresss for the account service.';
CREATE INDEX token_addresss_body_idx ON token_addresss (body);
CREATE INDEX token_addresss_country_idx ON token_addresss (country);

INSERT INTO payment_notifications (name, total, created_at) VALUES
    ('invoice-0', 2, now()),
    ('export-1', 356, now()),
    ('warehouse-2', 433, now()),
    ('role-3', 405, now()),
    ('coupon-4', 31, now()),
    ('payment-5', 405, now()),
    ('flag-6', 53, now()),
    ('member-7', 372, now()),
    ('invoice-8', 461, now()),
    ('review-9', 243, now()),
    ('project-10', 156, now()),
    ('tenant-11', 393, now()),
    ('flag-12', 202, now()),
    ('permission-13', 64, now()),
    ('permission-14', 391, now()),
    ('metric-15', 481, now()),
    ('ledger-16', 105, now())
ON CONFLICT DO NOTHING;
