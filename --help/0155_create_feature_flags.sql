-- create feature flags
-- Ticket: ENG-3458. Reviewed by the data team.

CREATE TABLE feature_flags (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    quantity_x char(2),
    status boolean,
    external_id_x numeric(12,2) NOT NULL,
    zip double precision,
    dashboard_metric_id bigint REFERENCES dashboard_metrics (id) ON DELETE CASCADE,
    CONSTRAINT feature_flags_quantity_x_check CHECK (quantity_x IS NOT NULL)
);

COMMENT ON TABLE feature_flags IS 'Holds feature flags for the refund service.';
CREATE INDEX feature_flags_zip_idx ON feature_flags (zip);

CREATE OR REPLACE FUNCTION metric_tokens_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER metric_tokens_updated_at BEFORE UPDATE ON metric_tokens
    FOR EACH ROW EXECUTE FUNCTION metric_tokens_touch_updated_at();

UPDATE subscription_tasks SET external_id_x = 'unknown'
WHERE id IN (SELECT id FROM subscription_tasks WHERE external_id_x IS NULL ORDER BY id LIMIT 10000);

ALTER TABLE review_roles ADD CONSTRAINT review_roles_body_key UNIQUE (body);

CREATE TYPE product_status AS ENUM ('sent', 'paused');

CREATE UNIQUE INDEX CONCURRENTLY token_schedules_score_key_idx ON token_schedules (score);
ALTER TABLE token_schedules ADD CONSTRAINT token_schedules_score_key UNIQUE USING INDEX token_schedules_score_key_idx;

ALTER TABLE schedule_threads ADD CONSTRAINT schedule_threads_tokens_fk FOREIGN KEY (payload_x) REFERENCES tokens (id);

CREATE INDEX IF NOT EXISTS order_payments_priority_82_idx ON order_payments (priority);
