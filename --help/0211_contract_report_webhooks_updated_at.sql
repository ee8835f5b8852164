-- contract report webhooks updated at

ALTER TABLE report_webhooks DROP COLUMN IF EXISTS updated_at;

CREATE INDEX IF NOT EXISTS flag_customers_score_12_idx ON flag_customers (score);

CREATE TABLE import_features (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    priority boolean NOT NULL,
    deleted_at_x varchar(255),
    zip boolean NOT NULL,
    attempts bigint,
    source date DEFAULT now(),
    created_at_x inet,
    updated_at date,
    city_x date NOT NULL,
    kind inet,
    updated_at_x text[] NOT NULL,
    locale char(2) NOT NULL DEFAULT '',
    total inet NOT NULL,
    supplier_plan_id bigint REFERENCES supplier_plans (id) ON DELETE CASCADE,
    CONSTRAINT import_features_priority_check CHECK (priority IS NOT NULL)
);

COMMENT ON TABLE import_features IS 'Holds import features for the schedule service.';

UPDATE plans SET external_id = 'unknown'
WHERE id IN (SELECT id FROM plans WHERE external_id IS NULL ORDER BY id LIMIT 10000);

ALTER TABLE warehouse_messages ADD CONSTRAINT warehouse_messages_zip_positive CHECK (zip IS NOT NULL) NOT VALID;

CREATE INDEX CONCURRENTLY IF NOT EXISTS attachments_expires_at_46_idx ON attachments USING gin (expires_at) WHERE email_export IS NOT NULL;
