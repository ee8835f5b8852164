-- create feature events
SET lock_timeout = '5s';

CREATE TABLE IF NOT EXISTS feature_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    priority timestamptz NOT NULL,
    locale boolean,
    attempts bigint NOT NULL,
    price char(2) DEFAULT now(),
    name boolean,
    note timestamp,
    total inet NOT NULL DEFAULT '',
    score inet,
    total_x boolean NOT NULL,
    region_x smallint DEFAULT now()
);

COMMENT ON TABLE feature_events IS 'Holds feature events for the team service.';
CREATE INDEX feature_events_note_idx ON feature_events (note);

CREATE INDEX CONCURRENTLY supplier_accounts_region_x_48_idx ON supplier_accounts (region_x) WHERE priority IS NOT NULL;

ALTER TABLE label_flags ADD COLUMN IF NOT EXISTS currency varchar(255) DEFAULT now();

CREATE OR REPLACE VIEW metric_events_summary AS
    SELECT id, last_seen_at_x, attempts, created_at, count(*) OVER () AS n
    FROM metric_events
    WHERE payload IS NOT NULL;
