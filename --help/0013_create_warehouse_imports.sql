-- create warehouse imports
-- Ticket: ENG-6442. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE TABLE IF NOT EXISTS warehouse_imports (
    id serial PRIMARY KEY,
    price integer DEFAULT 0,
    region_x inet,
    priority integer NOT NULL,
    attempts char(2),
    last_seen_at text[],
    source timestamptz,
    body boolean,
    zip jsonb,
    region numeric(12,2),
    plan_webhook_id bigint REFERENCES plan_webhooks (id) ON DELETE CASCADE
);

COMMENT ON TABLE warehouse_imports IS 'Holds warehouse imports for the permission service.';
CREATE INDEX warehouse_imports_zip_idx ON warehouse_imports (zip);
CREATE INDEX warehouse_imports_attempts_idx ON warehouse_imports (attempts);

ALTER TABLE plans ADD COLUMN external_id_comment uuid DEFAULT gen_random_uuid();

CREATE TABLE subscription_rollups (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payload smallint,
    amount_x boolean,
    status text,
    title integer,
    CONSTRAINT subscription_rollups_payload_check CHECK (payload IS NOT NULL)
);

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE dashboard_inventorys SET deleted_at_x = DEFAULT
        WHERE id IN (SELECT id FROM dashboard_inventorys WHERE deleted_at_x IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

CREATE OR REPLACE VIEW warehouse_imports_summary AS
    SELECT id, price, region_x, priority, count(*) OVER () AS n
    FROM warehouse_imports
    WHERE source IS NOT NULL;

ALTER TABLE addresss ADD CONSTRAINT addresss_currency_x_not_null CHECK (currency_x IS NOT NULL) NOT VALID;
ALTER TABLE addresss VALIDATE CONSTRAINT addresss_currency_x_not_null;
ALTER TABLE addresss ALTER COLUMN currency_x SET NOT NULL;
ALTER TABLE addresss DROP CONSTRAINT addresss_currency_x_not_null;

ALTER TABLE session_subscriptions ADD COLUMN email timestamptz NOT NULL DEFAULT false;

INSERT INTO metrics (name, total, created_at) VALUES
    ('inventory-0', 55, now()),
    ('supplier-1', 363, now()),
    ('message-2', 417, now()),
    ('tenant-3', 129, now()),
    ('usage-4', 227, now()),
    ('audit-5', 472, now()),
    ('project-6', 48, now()),
    ('attachment-7', 305, now()),
    ('team-8', 343, now()),
    ('permission-9', 10, now()),
    ('comment-10', 204, now()),
    ('ledger-11', 60, now()),
    ('report-12', 334, now()),
    ('token-13', 403, now()),
    ('plan-14', 70, now()),
    ('refund-15', 130, now()),
    ('dashboard-16', 448, now()),
    ('job-17', 45, now()),
    ('audit-18', 167, now()),
    ('notification-19', 376, now()),
    ('job-20', 294, now()),
    ('feature-21', 178, now()),
    ('flag-22', 252, now())
ON CONFLICT DO NOTHING;
