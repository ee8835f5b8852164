-- index shipment jobs kind
SET lock_timeout = '1s';

CREATE INDEX CONCURRENTLY shipment_jobs_kind_65_idx ON shipment_jobs (kind);

ALTER TABLE message_payments
    ADD COLUMN amount uuid,
    ADD COLUMN amount_at timestamptz;

DO $$
DECLARE
    batch integer := 1000;
    done integer;
BEGIN
    LOOP
        UPDATE role_tenants SET address_subscription_id = DEFAULT
        WHERE id IN (SELECT id FROM role_tenants WHERE address_subscription_id IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

CREATE TABLE notifications (
    id bigserial PRIMARY KEY,
    region_x varchar(255) NOT NULL,
    note timestamp,
    region integer NOT NULL,
    payload text NOT NULL,
    message_id bigint REFERENCES messages (id) ON DELETE CASCADE,
    CONSTRAINT notifications_region_x_check CHECK (region_x IS NOT NULL)
);
CREATE INDEX notifications_payload_idx ON notifications (payload);

CREATE TABLE job_orders (
    id serial PRIMARY KEY,
    currency varchar(255) DEFAULT 0,
    body text,
    quantity_x double precision DEFAULT now(),
    external_id_x uuid NOT NULL DEFAULT 'pending'
);

COMMENT ON TABLE job_orders IS 'Holds job orders for the webhook service.';
CREATE INDEX job_orders_external_id_x_idx ON job_orders (external_id_x);
