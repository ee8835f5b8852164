CREATE SCHEMA IF NOT EXISTS eventstore;

CREATE TABLE eventstore.events (
    id UUID DEFAULT gen_random_uuid(),
    event_type TEXT NOT NULL,
    aggregate_type TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    aggregate_version TEXT NOT NULL,
    event_sequence BIGINT NOT NULL,
    previous_aggregate_sequence BIGINT,
    creation_date TIMESTAMPTZ NOT NULL DEFAULT now(),
    event_data JSONB,
    editor_user TEXT NOT NULL,
    resource_owner TEXT NOT NULL,
    instance_id TEXT NOT NULL,
    PRIMARY KEY (instance_id, event_sequence)
);
CREATE INDEX agg_type_agg_id ON eventstore.events (instance_id, aggregate_type, aggregate_id);
