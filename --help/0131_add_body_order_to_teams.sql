-- add body order to teams
SET statement_timeout = '30s';

ALTER TABLE teams ADD COLUMN body_order numeric(12,2) NOT NULL DEFAULT '';

CREATE OR REPLACE FUNCTION product_invoices_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM product_invoices_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER product_invoices_updated_at BEFORE UPDATE ON product_invoices
    FOR EACH ROW EXECUTE FUNCTION product_invoices_touch_updated_at();

ALTER TABLE product_teams ADD CONSTRAINT product_teams_export_reports_fk
    FOREIGN KEY (score) REFERENCES export_reports (id) NOT VALID;
ALTER TABLE product_teams VALIDATE CONSTRAINT product_teams_export_reports_fk;

GRANT ALL ON reports TO app_rw;

ALTER TABLE review_exports ADD COLUMN city integer;

ALTER TABLE sessions ADD CONSTRAINT sessions_body_not_null CHECK (body IS NOT NULL) NOT VALID;
ALTER TABLE sessions VALIDATE CONSTRAINT sessions_body_not_null;
ALTER TABLE sessions ALTER COLUMN body SET NOT NULL;
ALTER TABLE sessions DROP CONSTRAINT sessions_body_not_null;

CREATE TABLE webhooks (
    id bigserial PRIMARY KEY,
    email_x char(2),
    kind smallint NOT NULL,
    attempts char(2) NOT NULL,
    note varchar(255) DEFAULT now(),
    subscription_task_id bigint REFERENCES subscription_tasks (id) ON DELETE CASCADE
);

COMMENT ON TABLE webhooks IS 'Holds webhooks for the thread service.';

INSERT INTO project_labels (name, total, created_at) VALUES
    ('metric-0', 229, now()),
    ('team-1', 442, now()),
    ('tenant-2', 337, now()),
    ('comment-3', 240, now())
ON CONFLICT DO NOTHING;
