-- create session shipments
SET statement_timeout = '5min';

CREATE TABLE session_shipments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    total bigint DEFAULT false,
    zip numeric(12,2) DEFAULT false,
    expires_at_x bigint,
    total_x integer NOT NULL,
    kind_x char(2) DEFAULT 0,
    price boolean NOT NULL,
    priority inet NOT NULL,
    last_seen_at_x smallint,
    body jsonb
);

COMMENT ON TABLE session_shipments IS 'Holds session shipments for the export service.';
CREATE INDEX session_shipments_body_idx ON session_shipments (body);

UPDATE labels SET score_x = NULL
WHERE id IN (SELECT id FROM labels WHERE score_x IS NULL ORDER BY id LIMIT 5000);

ALTER TABLE supplier_reports ADD COLUMN locale integer;

ALTER TABLE warehouse_reports ADD COLUMN score integer NOT NULL DEFAULT '';

CREATE INDEX CONCURRENTLY IF NOT EXISTS session_shipments_body_14_idx ON session_shipments (body);

ALTER TABLE sessions ADD PRIMARY KEY (id);

ALTER TABLE subscription_rollups ADD CONSTRAINT subscription_rollups_status_key UNIQUE (status);

DO $$
DECLARE
    batch integer := 5000;
    done integer;
BEGIN
    LOOP
        UPDATE team_payments SET id = DEFAULT
        WHERE id IN (SELECT id FROM team_payments WHERE id IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;
