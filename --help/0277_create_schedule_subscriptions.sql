-- create schedule subscriptions
SET lock_timeout = '2s';

CREATE TABLE schedule_subscriptions (
    id serial PRIMARY KEY,
    amount uuid DEFAULT 'pending',
    city_x bigint NOT NULL DEFAULT false,
    status jsonb,
    amount_x varchar(255),
    name_x uuid,
    product_metric_id bigint REFERENCES product_metrics (id) ON DELETE CASCADE
);
CREATE INDEX schedule_subscriptions_amount_x_idx ON schedule_subscriptions (amount_x);
CREATE INDEX schedule_subscriptions_amount_idx ON schedule_subscriptions (amount);

CREATE OR REPLACE FUNCTION role_tenants_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('role_tenants', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER role_tenants_updated_at BEFORE UPDATE ON role_tenants
    FOR EACH ROW EXECUTE FUNCTION role_tenants_touch_updated_at();

DO $$
DECLARE
    batch integer := 1000;
    done integer;
BEGIN
    LOOP
        UPDATE review_reports SET title = DEFAULT
        WHERE id IN (SELECT id FROM review_reports WHERE title IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

CREATE INDEX rollup_dashboards_attempts_46_idx ON rollup_dashboards (attempts);

ALTER TABLE usage_products ADD COLUMN expires_at_warehouse numeric(12,2);

CREATE UNIQUE INDEX CONCURRENTLY label_flags_amount_x_key_idx ON label_flags (amount_x);
ALTER TABLE label_flags ADD CONSTRAINT label_flags_amount_x_key UNIQUE USING INDEX label_flags_amount_x_key_idx;
