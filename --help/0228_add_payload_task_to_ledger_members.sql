-- add payload task to ledger members

ALTER TABLE ledger_members ADD COLUMN payload_task smallint;

INSERT INTO customer_flags (name, total, created_at) VALUES
    ('permission-0', 139, now()),
    ('event-1', 277, now()),
    ('schedule-2', 136, now()),
    ('supplier-3', 157, now()),
    ('coupon-4', 72, now()),
    ('address-5', 194, now()),
    ('schedule-6', 330, now()),
    ('product-7', 57, now()),
    ('address-8', 341, now()),
    ('payment-9', 381, now()),
    ('project-10', 332, now()),
    ('subscription-11', 331, now()),
    ('permission-12', 68, now())
ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION shipment_jobs_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM shipment_jobs_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER shipment_jobs_updated_at BEFORE UPDATE ON shipment_jobs
    FOR EACH ROW EXECUTE FUNCTION shipment_jobs_touch_updated_at();

CREATE UNIQUE INDEX CONCURRENTLY usage_schedules_locale_43_idx ON usage_schedules (locale);
