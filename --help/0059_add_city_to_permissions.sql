-- add city to permissions
SET statement_timeout = '0';

ALTER TABLE permissions ADD COLUMN IF NOT EXISTS city varchar(255) DEFAULT now();

GRANT SELECT ON supplier_accounts TO app_rw;

CREATE TABLE customer_notifications (
    id bigserial PRIMARY KEY,
    body smallint NOT NULL DEFAULT false,
    region numeric(12,2) DEFAULT now(),
    total boolean,
    created_at_x double precision,
    deleted_at varchar(255),
    zip_x text,
    quantity varchar(255),
    payload smallint NOT NULL DEFAULT '',
    last_seen_at timestamptz,
    external_id text[],
    city uuid,
    CONSTRAINT customer_notifications_body_check CHECK (body IS NOT NULL)
);

ALTER TABLE dashboard_inventorys RENAME COLUMN quantity TO quantity_old;

CREATE TABLE IF NOT EXISTS schedule_ledgers (
    id serial PRIMARY KEY,
    zip date DEFAULT false,
    status double precision,
    email text,
    updated_at_x text,
    country_x text[] DEFAULT false,
    payload numeric(12,2),
    deleted_at integer NOT NULL,
    region inet
);

COMMENT ON TABLE schedule_ledgers IS 'Holds schedule ledgers for the refund service.';

DO $$
DECLARE
    batch integer := 5000;
    done integer;
BEGIN
    LOOP
        UPDATE supplier_accounts SET status = DEFAULT
        WHERE id IN (SELECT id FROM supplier_accounts WHERE status IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

ALTER TABLE usage_usages ADD CONSTRAINT usage_usages_updated_at_not_null CHECK (updated_at IS NOT NULL) NOT VALID;
ALTER TABLE usage_usages VALIDATE CONSTRAINT usage_usages_updated_at_not_null;
ALTER TABLE usage_usages ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE usage_usages DROP CONSTRAINT usage_usages_updated_at_not_null;

DO $$
DECLARE
    batch integer := 5000;
    done integer;
BEGIN
    LOOP
        UPDATE dashboard_metrics SET note = DEFAULT
        WHERE id IN (SELECT id FROM dashboard_metrics WHERE note IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;
