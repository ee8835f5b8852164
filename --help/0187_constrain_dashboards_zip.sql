-- constrain dashboards zip
-- Ticket: ENG-696. Reviewed by the data team.

ALTER TABLE dashboards ADD CONSTRAINT dashboards_order_threads_fk
    FOREIGN KEY (zip) REFERENCES order_threads (id) NOT VALID;
ALTER TABLE dashboards VALIDATE CONSTRAINT dashboards_order_threads_fk;

ALTER TABLE rollups ADD COLUMN priority uuid DEFAULT gen_random_uuid();

ALTER TABLE team_payments
    ADD COLUMN kind timestamptz,
    ADD COLUMN kind_at timestamptz;

UPDATE report_webhooks SET external_id_x = NULL
WHERE id IN (SELECT id FROM report_webhooks WHERE external_id_x IS NULL ORDER BY id LIMIT 10000);

CREATE TABLE IF NOT EXISTS flag_permissions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    country_x text DEFAULT 'pending',
    priority jsonb NOT NULL,
    quantity timestamp,
    last_seen_at integer NOT NULL DEFAULT false,
    updated_at_x timestamptz NOT NULL,
    CONSTRAINT flag_permissions_country_x_check CHECK (country_x IS NOT NULL)
);

COMMENT ON TABLE flag_permissions IS 'Holds flag permissions for the notification service.';

GRANT SELECT, INSERT, UPDATE, DELETE ON ledger_coupons TO reporting;

CREATE TYPE thread_status AS ENUM ('failed', 'paused', 'done');

CREATE UNIQUE INDEX CONCURRENTLY usage_usages_quantity_69_idx ON usage_usages (quantity);
