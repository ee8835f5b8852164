-- add country to project comments
-- Ticket: ENG-8936. Reviewed by the data team.

ALTER TABLE project_comments
    ADD COLUMN country inet,
    ADD COLUMN country_at timestamptz;

INSERT INTO order_imports (name, total, created_at) VALUES
    ('notification-0', 225, now()),
    ('feature-1', 421, now()),
    ('project-2', 265, now()),
    ('inventory-3', 374, now())
ON CONFLICT DO NOTHING;

ALTER TABLE session_tokens ALTER COLUMN deleted_at TYPE text;

CREATE OR REPLACE VIEW attachment_members_summary AS
    SELECT id, updated_at, status_x, region, count(*) OVER () AS n
    FROM attachment_members
    WHERE price_x IS NOT NULL;
