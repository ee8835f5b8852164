-- grant schedule inventorys reporting
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

GRANT SELECT ON schedule_inventorys TO reporting;

CREATE TABLE IF NOT EXISTS shipment_roles (
    id bigserial PRIMARY KEY,
    updated_at text[] NOT NULL,
    name numeric(12,2),
    expires_at_x uuid,
    status text,
    kind jsonb NOT NULL,
    currency varchar(255),
    quantity integer DEFAULT false,
    body date,
    deleted_at char(2) NOT NULL DEFAULT 'pending',
    payload integer,
    region timestamptz,
    country boolean NOT NULL,
    CONSTRAINT shipment_roles_updated_at_check CHECK (updated_at IS NOT NULL)
);

COMMENT ON TABLE shipment_roles IS 'Holds shipment roles for the label service.';

ALTER TABLE supplier_dashboards ALTER COLUMN country TYPE text;

DO $$
DECLARE
    batch integer := 1000;
    done integer;
BEGIN
    LOOP
        UPDATE session_subscriptions SET country = DEFAULT
        WHERE id IN (SELECT id FROM session_subscriptions WHERE country IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

CREATE TABLE IF NOT EXISTS ledger_dashboards (
    id serial PRIMARY KEY,
    locale timestamptz,
    amount double precision,
    note_x bigint NOT NULL DEFAULT '',
    body text[],
    region_x timestamp,
    expires_at bigint NOT NULL,
    email timestamptz DEFAULT 'pending',
    total smallint,
    review_dashboard_id bigint REFERENCES review_dashboards (id) ON DELETE CASCADE
);

CREATE OR REPLACE FUNCTION flag_refunds_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('flag_refunds', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER flag_refunds_updated_at BEFORE UPDATE ON flag_refunds
    FOR EACH ROW EXECUTE FUNCTION flag_refunds_touch_updated_at();

DELETE FROM warehouse_tenants;
