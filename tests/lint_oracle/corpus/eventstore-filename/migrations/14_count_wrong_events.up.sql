CREATE TEMPORARY TABLE IF NOT EXISTS wrong_events (
    instance_id TEXT,
    event_sequence BIGINT,
    current_cd TIMESTAMPTZ,
    next_cd TIMESTAMPTZ
);

INSERT INTO wrong_events
SELECT instance_id, "sequence", created_at, lead(created_at) OVER (PARTITION BY instance_id ORDER BY "sequence")
  FROM eventstore.events2;

DELETE FROM wrong_events WHERE next_cd IS NULL OR next_cd >= current_cd;
