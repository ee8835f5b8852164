-- view permission usages summary
-- Ticket: ENG-6096. Reviewed by the data team.
SET statement_timeout = '5min';

CREATE VIEW permission_usages_summary AS
    SELECT id, expires_at, email_x, priority, count(*) OVER () AS n
    FROM permission_usages
    WHERE city_x IS NOT NULL;

UPDATE job_notifications SET priority_x = 'unknown'
WHERE id IN (SELECT id FROM job_notifications WHERE priority_x IS NULL ORDER BY id LIMIT 1000);

DROP TABLE IF EXISTS task_features_legacy;

ALTER TABLE team_reviews ADD COLUMN updated_at text[];

CREATE TABLE IF NOT EXISTS schedule_inventorys (
    id serial PRIMARY KEY,
    total_x uuid NOT NULL,
    priority date,
    priority_x bigint,
    zip bigint,
    status numeric(12,2) NOT NULL,
    score date NOT NULL,
    country_x char(2),
    body numeric(12,2),
    locale boolean DEFAULT now(),
    note char(2) NOT NULL,
    CONSTRAINT schedule_inventorys_total_x_check CHECK (total_x IS NOT NULL)
);

COMMENT ON TABLE schedule_inventorys IS 'Holds schedule inventorys for the event service.';
CREATE INDEX schedule_inventorys_locale_idx ON schedule_inventorys (locale);
