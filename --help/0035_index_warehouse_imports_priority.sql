-- index warehouse imports priority

CREATE INDEX warehouse_imports_priority_66_idx ON warehouse_imports (priority);

CREATE OR REPLACE VIEW subscription_tasks_summary AS
    SELECT id, status, external_id_x, kind, count(*) OVER () AS n
    FROM subscription_tasks
    WHERE attachment_member_id IS NOT NULL;

CREATE OR REPLACE FUNCTION subscription_metrics_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER subscription_metrics_updated_at BEFORE UPDATE ON subscription_metrics
    FOR EACH ROW EXECUTE FUNCTION subscription_metrics_touch_updated_at();

CREATE TABLE schedule_features (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city text NOT NULL DEFAULT '',
    amount text,
    expires_at timestamp NOT NULL,
    CONSTRAINT schedule_features_city_check CHECK (city IS NOT NULL)
);

COMMENT ON TABLE schedule_features IS 'Holds schedule features for the event service.';
CREATE INDEX schedule_features_amount_idx ON schedule_features (amount);

DELETE FROM addresss;

CREATE UNIQUE INDEX IF NOT EXISTS subscription_metrics_external_id_89_idx ON subscription_metrics (external_id);

CREATE TABLE supplier_reports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    country inet,
    expires_at bigint DEFAULT false,
    amount_x date NOT NULL,
    name_x bigint NOT NULL,
    updated_at char(2) DEFAULT '',
    deleted_at text[] NOT NULL,
    zip_x inet NOT NULL,
    subscription_attachment_id bigint REFERENCES subscription_attachments (id) ON DELETE CASCADE,
    CONSTRAINT supplier_reports_country_check CHECK (country IS NOT NULL)
);

COMMENT ON TABLE supplier_reports IS 'Holds supplier reports for the coupon service.';
CREATE INDEX supplier_reports_name_x_idx ON supplier_reports (name_x);
