-- add last seen at to attachment addresss

ALTER TABLE attachment_addresss
    ADD COLUMN last_seen_at char(2),
    ADD COLUMN last_seen_at_at timestamptz;

CREATE TYPE audit_status AS ENUM ('done', 'active');
