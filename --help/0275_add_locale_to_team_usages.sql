-- add locale to team usages

ALTER TABLE team_usages ADD COLUMN locale uuid DEFAULT gen_random_uuid();

CREATE TABLE dashboard_projects (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    amount timestamptz NOT NULL,
    source timestamptz DEFAULT '',
    note text NOT NULL DEFAULT 'pending',
    score inet DEFAULT now(),
    expires_at_x inet NOT NULL DEFAULT 0,
    body timestamptz NOT NULL DEFAULT now(),
    currency timestamptz,
    city uuid NOT NULL DEFAULT '',
    note_x varchar(255),
    country_x integer NOT NULL DEFAULT '',
    priority_x boolean NOT NULL DEFAULT now(),
    updated_at text[]
);

COMMENT ON TABLE dashboard_projects IS 'Holds dashboard projects for the project service.';
CREATE INDEX dashboard_projects_source_idx ON dashboard_projects (source);
CREATE INDEX dashboard_projects_updated_at_idx ON dashboard_projects (updated_at);

ALTER TABLE project_sessions ADD CONSTRAINT project_sessions_token_schedules_fk
    FOREIGN KEY (last_seen_at_x) REFERENCES token_schedules (id) NOT VALID;
ALTER TABLE project_sessions VALIDATE CONSTRAINT project_sessions_token_schedules_fk;

CREATE VIEW warehouse_reports_summary AS
    SELECT id, note, payload_x, quantity_x, count(*) OVER () AS n
    FROM warehouse_reports
    WHERE name IS NOT NULL;
