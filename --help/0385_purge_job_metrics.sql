-- purge job metrics

DELETE FROM job_metrics;

ALTER TYPE plan_status ADD VALUE IF NOT EXISTS 'blocked';

CREATE TABLE IF NOT EXISTS permission_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at_x integer,
    total_x char(2) NOT NULL,
    title char(2),
    region text NOT NULL DEFAULT '',
    total boolean NOT NULL,
    locale char(2),
    city integer,
    score bigint,
    note bigint,
    quantity varchar(255),
    country_x timestamp NOT NULL,
    locale_x numeric(12,2) DEFAULT now(),
    status double precision,
    thread_permission_id bigint REFERENCES thread_permissions (id) ON DELETE CASCADE
);

COMMENT ON TABLE permission_sessions IS 'Holds permission sessions for the project service.';
