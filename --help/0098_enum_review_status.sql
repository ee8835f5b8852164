-- enum review status
-- Ticket: ENG-2574. Reviewed by the data team.
SET lock_timeout = '3000ms';

ALTER TYPE review_status ADD VALUE IF NOT EXISTS 'blocked' AFTER 'active';

CREATE OR REPLACE FUNCTION permissions_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM permissions_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER permissions_updated_at BEFORE UPDATE ON permissions
    FOR EACH ROW EXECUTE FUNCTION permissions_touch_updated_at();

CREATE TABLE IF NOT EXISTS notification_plans (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    last_seen_at_x uuid,
    priority double precision,
    created_at date NOT NULL,
    zip_x char(2),
    locale_x inet
);

COMMENT ON TABLE notification_plans IS 'Holds notification plans for the metric service.';
CREATE INDEX notification_plans_last_seen_at_x_idx ON notification_plans (last_seen_at_x);

ALTER TABLE sessions ADD CONSTRAINT sessions_kind_x_not_null CHECK (kind_x IS NOT NULL) NOT VALID;
ALTER TABLE sessions VALIDATE CONSTRAINT sessions_kind_x_not_null;
ALTER TABLE sessions ALTER COLUMN kind_x SET NOT NULL;
ALTER TABLE sessions DROP CONSTRAINT sessions_kind_x_not_null;

CREATE INDEX team_schedules_quantity_64_idx ON team_schedules (quantity) WHERE created_at_x IS NOT NULL;

CREATE TABLE shipment_attachments (
    id serial PRIMARY KEY,
    kind timestamptz,
    zip jsonb,
    title bigint,
    status_x text[] NOT NULL,
    source bigint NOT NULL,
    quantity date NOT NULL,
    body date NOT NULL DEFAULT 'pending',
    currency smallint DEFAULT 0,
    currency_x char(2),
    last_seen_at_x text[] DEFAULT false,
    CONSTRAINT shipment_attachments_kind_check CHECK (kind IS NOT NULL)
);

COMMENT ON TABLE shipment_attachments IS 'Holds shipment attachments for the team service.';
CREATE INDEX shipment_attachments_currency_x_idx ON shipment_attachments (currency_x);
CREATE INDEX shipment_attachments_status_x_idx ON shipment_attachments (status_x);

CREATE UNIQUE INDEX metric_refunds_email_60_idx ON metric_refunds (email);
