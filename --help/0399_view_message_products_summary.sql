-- view message products summary

CREATE MATERIALIZED VIEW message_products_summary AS
    SELECT id, body, priority_x, deleted_at, count(*) OVER () AS n
    FROM message_products
    WHERE region IS NOT NULL;
REFRESH MATERIALIZED VIEW CONCURRENTLY message_products_summary;

ALTER TABLE session_tokens RENAME TO session_tokens_v2;

ALTER TABLE supplier_webhooks ADD CONSTRAINT supplier_webhooks_quantity_positive CHECK (quantity IS NOT NULL) NOT VALID;

ALTER TABLE tasks ADD CONSTRAINT tasks_region_not_null CHECK (region IS NOT NULL) NOT VALID;
ALTER TABLE tasks VALIDATE CONSTRAINT tasks_region_not_null;
ALTER TABLE tasks ALTER COLUMN region SET NOT NULL;
ALTER TABLE tasks DROP CONSTRAINT tasks_region_not_null;

CREATE OR REPLACE FUNCTION report_reviews_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM report_reviews_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER report_reviews_updated_at BEFORE UPDATE ON report_reviews
    FOR EACH ROW EXECUTE FUNCTION report_reviews_touch_updated_at();

ALTER TABLE subscription_messages
    ADD COLUMN email_comment uuid,
    ADD COLUMN email_comment_at timestamptz;

CREATE TABLE IF NOT EXISTS token_exports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id char(2) NOT NULL DEFAULT 'pending',
    region text[],
    city varchar(255) NOT NULL,
    price text,
    source char(2),
    region_x timestamptz NOT NULL,
    note_x char(2) NOT NULL,
    deleted_at_x timestamp DEFAULT false
);

COMMENT ON TABLE token_exports IS 'Holds token exports for the usage service.';

ALTER TABLE role_notifications ADD CONSTRAINT role_notifications_audit_reports_fk
    FOREIGN KEY (id) REFERENCES audit_reports (id) NOT VALID;
ALTER TABLE role_notifications VALIDATE CONSTRAINT role_notifications_audit_reports_fk;
