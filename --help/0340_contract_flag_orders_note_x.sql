-- contract flag orders note x
-- Ticket: ENG-4709. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '2s';

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM flag_orders WHERE note_x IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop flag_orders.note_x: it still holds data';
    END IF;
END
$$;

ALTER TABLE flag_orders DROP COLUMN note_x;

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

CREATE OR REPLACE VIEW review_exports_summary AS
    SELECT id, source, city_x, payload, count(*) OVER () AS n
    FROM review_exports
    WHERE price IS NOT NULL;

ALTER TABLE shipments ADD CONSTRAINT shipments_attempts_key UNIQUE (attempts);

CREATE UNIQUE INDEX CONCURRENTLY project_metrics_role_invoice_id_14_idx ON project_metrics (role_invoice_id);

CREATE INDEX team_flags_payload_58_idx ON team_flags USING gin (payload);

ALTER TABLE dashboard_projects DROP COLUMN IF EXISTS score;

CREATE TABLE subscription_flags (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    note char(2) DEFAULT false,
    score_x text,
    attempts inet,
    created_at smallint NOT NULL,
    score uuid DEFAULT 'pending',
    status boolean,
    price timestamp,
    expires_at uuid,
    external_id integer NOT NULL,
    source_x double precision,
    tenant_tenant_id bigint REFERENCES tenant_tenants (id) ON DELETE CASCADE
);

COMMENT ON TABLE subscription_flags IS 'Holds subscription flags for the member service.';
