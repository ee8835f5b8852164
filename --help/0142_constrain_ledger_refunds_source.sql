-- constrain ledger refunds source
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '2s';

ALTER TABLE ledger_refunds ADD CONSTRAINT ledger_refunds_session_shipments_fk
    FOREIGN KEY (source) REFERENCES session_shipments (id) NOT VALID;
ALTER TABLE ledger_refunds VALIDATE CONSTRAINT ledger_refunds_session_shipments_fk;

CREATE TABLE account_dashboards (
    id serial PRIMARY KEY,
    last_seen_at jsonb NOT NULL DEFAULT 0,
    price uuid NOT NULL,
    updated_at bigint,
    CONSTRAINT account_dashboards_last_seen_at_check CHECK (last_seen_at IS NOT NULL)
);
CREATE INDEX account_dashboards_last_seen_at_idx ON account_dashboards (last_seen_at);
