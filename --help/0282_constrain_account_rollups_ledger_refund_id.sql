-- constrain account rollups ledger refund id
-- Ticket: ENG-1519. Reviewed by the data team.

ALTER TABLE account_rollups ADD CONSTRAINT account_rollups_ledger_refund_id_positive CHECK (ledger_refund_id IS NOT NULL) NOT VALID;

CREATE TABLE IF NOT EXISTS rollup_reports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    expires_at double precision,
    total jsonb DEFAULT false,
    created_at_x text[] NOT NULL
);

COMMENT ON TABLE rollup_reports IS 'Holds rollup reports for the webhook service.';
CREATE INDEX rollup_reports_created_at_x_idx ON rollup_reports (created_at_x);
CREATE INDEX rollup_reports_total_idx ON rollup_reports (total);
