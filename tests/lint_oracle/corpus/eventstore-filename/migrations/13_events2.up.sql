ALTER TABLE eventstore.events RENAME TO events_old;

CREATE TABLE eventstore.events2 (
    instance_id,
    aggregate_type,
    aggregate_id,
    event_type,
    "sequence",
    revision,
    created_at,
    payload,
    creator,
    "owner",
    "position",
    in_tx_order
) AS SELECT
    instance_id,
    aggregate_type,
    aggregate_id,
    event_type,
    event_sequence,
    substr(aggregate_version, 2)::SMALLINT,
    creation_date,
    event_data,
    editor_user,
    resource_owner,
    EXTRACT(EPOCH FROM creation_date),
    event_sequence::INTEGER
FROM eventstore.events_old;

ALTER TABLE eventstore.events2 ADD PRIMARY KEY (instance_id, aggregate_type, aggregate_id, "sequence");
CREATE INDEX IF NOT EXISTS es_active_instances ON eventstore.events2 (created_at DESC, instance_id);
CREATE INDEX IF NOT EXISTS es_wm ON eventstore.events2 (aggregate_id, instance_id, aggregate_type, event_type);
