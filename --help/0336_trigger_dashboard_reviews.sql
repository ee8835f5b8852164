-- trigger dashboard reviews

CREATE OR REPLACE FUNCTION dashboard_reviews_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM dashboard_reviews_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER dashboard_reviews_updated_at BEFORE UPDATE ON dashboard_reviews
    FOR EACH ROW EXECUTE FUNCTION dashboard_reviews_touch_updated_at();

CREATE TABLE IF NOT EXISTS attachment_labels (
    id bigserial PRIMARY KEY,
    kind date,
    total integer,
    email_x varchar(255) NOT NULL,
    body integer NOT NULL DEFAULT 'pending',
    currency uuid NOT NULL,
    source text NOT NULL,
    email jsonb,
    external_id numeric(12,2),
    zip boolean NOT NULL,
    flag_order_id bigint REFERENCES flag_orders (id) ON DELETE CASCADE
);
CREATE INDEX attachment_labels_body_idx ON attachment_labels (body);

GRANT SELECT, INSERT, UPDATE, DELETE ON labels TO reporting;

ALTER TABLE notification_tasks ADD COLUMN attempts_warehouse uuid DEFAULT gen_random_uuid();
