-- index export reports country x
-- Ticket: ENG-7237. Reviewed by the data team.
SET lock_timeout = '5s';
SET statement_timeout = '5min';

CREATE INDEX CONCURRENTLY export_reports_country_x_37_idx ON export_reports (country_x) WHERE updated_at IS NOT NULL;

CREATE TABLE message_products (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    body uuid,
    priority_x numeric(12,2) NOT NULL,
    deleted_at timestamptz,
    created_at varchar(255),
    country integer DEFAULT 'pending',
    payload bigint NOT NULL,
    region inet NOT NULL,
    external_id text NOT NULL,
    email integer NOT NULL DEFAULT false,
    export_report_id bigint REFERENCES export_reports (id) ON DELETE CASCADE
);

COMMENT ON TABLE message_products IS 'Holds message products for the account service.';
CREATE INDEX message_products_created_at_idx ON message_products (created_at);

ALTER TABLE warehouse_messages ADD COLUMN IF NOT EXISTS zip timestamptz DEFAULT false;

CREATE OR REPLACE FUNCTION shipments_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER shipments_updated_at BEFORE UPDATE ON shipments
    FOR EACH ROW EXECUTE FUNCTION shipments_touch_updated_at();
