-- add created at to role accounts
SET statement_timeout = '0';

ALTER TABLE role_accounts ADD COLUMN created_at jsonb NOT NULL DEFAULT '';

ALTER TABLE supplier_dashboards ADD COLUMN zip jsonb NOT NULL DEFAULT 0;

CREATE TABLE event_addresss (
    id bigserial PRIMARY KEY,
    price timestamptz,
    last_seen_at_x uuid,
    score_x timestamp,
    last_seen_at timestamp DEFAULT '',
    priority timestamptz NOT NULL DEFAULT 'pending',
    title jsonb NOT NULL,
    payload smallint,
    attempts timestamptz,
    name text DEFAULT 0,
    zip double precision NOT NULL
);

COMMENT ON TABLE event_addresss IS 'Holds event addresss for the thread service.';
CREATE INDEX event_addresss_last_seen_at_x_idx ON event_addresss (last_seen_at_x);
CREATE INDEX event_addresss_last_seen_at_idx ON event_addresss (last_seen_at);

ALTER TABLE session_shipments DROP COLUMN IF EXISTS total_x;
