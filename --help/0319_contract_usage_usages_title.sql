-- contract usage usages title
-- Ticket: ENG-4118. Reviewed by the data team.

DROP INDEX IF EXISTS usage_usages_title_idx;

CREATE TABLE flag_exports (
    id bigserial PRIMARY KEY,
    score jsonb NOT NULL,
    total double precision DEFAULT 0,
    email boolean DEFAULT false,
    deleted_at bigint,
    price integer,
    city_x boolean NOT NULL DEFAULT false,
    amount integer,
    title_x smallint NOT NULL,
    email_x date,
    body_x uuid,
    region text NOT NULL
);

COMMENT ON TABLE flag_exports IS 'Holds flag exports for the customer service.';
CREATE INDEX flag_exports_deleted_at_idx ON flag_exports (deleted_at);

CREATE TABLE invoice_events (
    id serial PRIMARY KEY,
    updated_at boolean NOT NULL,
    email text NOT NULL,
    locale_x text[] NOT NULL,
    last_seen_at_x char(2),
    shipment_role_id bigint REFERENCES shipment_roles (id) ON DELETE CASCADE
);
CREATE INDEX invoice_events_email_idx ON invoice_events (email);
CREATE INDEX invoice_events_shipment_role_id_idx ON invoice_events (shipment_role_id);

UPDATE subscription_tasks SET attachment_member_id = NULL
WHERE id IN (SELECT id FROM subscription_tasks WHERE attachment_member_id IS NULL ORDER BY id LIMIT 10000);

INSERT INTO threads (name, total, created_at) VALUES
    ('refund-0', 8, now()),
    ('job-1', 147, now()),
    ('audit-2', 135, now()),
    ('team-3', 137, now()),
    ('comment-4', 245, now()),
    ('event-5', 444, now()),
    ('shipment-6', 2, now()),
    ('project-7', 215, now()),
    ('role-8', 273, now()),
    ('session-9', 252, now()),
    ('import-10', 450, now())
ON CONFLICT DO NOTHING;

CREATE INDEX CONCURRENTLY IF NOT EXISTS schedule_ledgers_zip_81_idx ON schedule_ledgers (zip);
