CREATE SCHEMA IF NOT EXISTS projections;

CREATE TABLE projections.current_sequences (
    projection_name TEXT NOT NULL,
    aggregate_type TEXT NOT NULL,
    current_sequence BIGINT,
    instance_id TEXT NOT NULL,
    PRIMARY KEY (projection_name, aggregate_type, instance_id)
);
