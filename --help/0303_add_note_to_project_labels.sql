-- add note to project labels
-- Ticket: ENG-500. Reviewed by the data team.
SET lock_timeout = '3000ms';

ALTER TABLE project_labels
    ADD COLUMN note timestamp,
    ADD COLUMN note_at timestamptz;

CREATE VIEW notification_inventorys_summary AS
    SELECT id, body, region_x, last_seen_at, count(*) OVER () AS n
    FROM notification_inventorys
    WHERE email IS NOT NULL;
