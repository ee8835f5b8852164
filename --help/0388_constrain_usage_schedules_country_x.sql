-- constrain usage schedules country x
-- Ticket: ENG-351. Reviewed by the data team.

ALTER TABLE usage_schedules ADD CONSTRAINT usage_schedules_inventory_audits_fk FOREIGN KEY (country_x) REFERENCES inventory_audits (id);

ALTER TABLE team_exports
    ADD COLUMN name uuid,
    ADD COLUMN name_at timestamptz;

DROP INDEX CONCURRENTLY IF EXISTS feature_teams_note_idx;

DO $$
DECLARE
    batch integer := 1000;
    done integer;
BEGIN
    LOOP
        UPDATE supplier_dashboards SET score = DEFAULT
        WHERE id IN (SELECT id FROM supplier_dashboards WHERE score IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

ALTER TABLE report_webhooks ADD CONSTRAINT report_webhooks_report_shipments_fk FOREIGN KEY (payload_x) REFERENCES report_shipments (id);

CREATE UNIQUE INDEX CONCURRENTLY project_teams_amount_token_key_idx ON project_teams (amount_token);
ALTER TABLE project_teams ADD CONSTRAINT project_teams_amount_token_key UNIQUE USING INDEX project_teams_amount_token_key_idx;

CREATE INDEX CONCURRENTLY shipment_roles_id_7_idx ON shipment_roles (id);

DO $$
DECLARE
    batch integer := 5000;
    done integer;
BEGIN
    LOOP
        UPDATE inventory_audits SET id = DEFAULT
        WHERE id IN (SELECT id FROM inventory_audits WHERE id IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;
