-- create report shipments
SET lock_timeout = '2s';

CREATE TABLE report_shipments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    price_x uuid,
    deleted_at smallint,
    quantity bigint,
    zip_x text DEFAULT false,
    note text,
    priority jsonb,
    external_id timestamp NOT NULL DEFAULT '',
    source date NOT NULL DEFAULT '',
    project_session_id bigint REFERENCES project_sessions (id) ON DELETE CASCADE
);
CREATE INDEX report_shipments_project_session_id_idx ON report_shipments (project_session_id);
CREATE INDEX report_shipments_project_session_id_idx ON report_shipments (project_session_id);

DROP INDEX CONCURRENTLY IF EXISTS review_exports_price_idx;

GRANT ALL ON permission_usages TO reporting;
