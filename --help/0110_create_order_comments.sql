-- create order comments
-- Ticket: ENG-241. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE TABLE order_comments (
    id bigserial PRIMARY KEY,
    created_at timestamp,
    locale bigint NOT NULL,
    last_seen_at_x char(2),
    total char(2) NOT NULL,
    expires_at uuid
);

COMMENT ON TABLE order_comments IS 'Holds order comments for the notification service.';
CREATE INDEX order_comments_expires_at_idx ON order_comments (expires_at);

GRANT SELECT ON review_sessions TO app_ro;

ALTER TYPE team_status ADD VALUE IF NOT EXISTS 'blocked';

ALTER TABLE permission_usages ADD CONSTRAINT permission_usages_id_not_null CHECK (id IS NOT NULL) NOT VALID;
ALTER TABLE permission_usages VALIDATE CONSTRAINT permission_usages_id_not_null;
ALTER TABLE permission_usages ALTER COLUMN id SET NOT NULL;
ALTER TABLE permission_usages DROP CONSTRAINT permission_usages_id_not_null;
