-- +goose Up
CREATE TABLE IF NOT EXISTS relation_tuples (
    id SERIAL PRIMARY KEY,
    entity_type VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    relation VARCHAR NOT NULL,
    subject_type VARCHAR NOT NULL,
    subject_id VARCHAR NOT NULL,
    subject_relation VARCHAR NOT NULL,
    created_tx_id xid8 DEFAULT (pg_current_xact_id()),
    expired_tx_id xid8 DEFAULT ('0'),
    CONSTRAINT uq_relation_tuple UNIQUE (entity_type, entity_id, relation, subject_type, subject_id, subject_relation, created_tx_id, expired_tx_id)
);

CREATE TABLE IF NOT EXISTS schema_definitions (
    entity_type VARCHAR NOT NULL,
    serialized_definition TEXT NOT NULL,
    version CHAR(20) NOT NULL,
    CONSTRAINT pk_schema_definition PRIMARY KEY (entity_type, version)
);

-- +goose Down
DROP TABLE IF EXISTS relation_tuples;
DROP TABLE IF EXISTS schema_definitions;
