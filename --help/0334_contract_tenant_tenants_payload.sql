-- contract tenant tenants payload
-- Ticket: ENG-6845. Reviewed by the data team.

ALTER TABLE tenant_tenants RENAME COLUMN payload TO payload_old;

CREATE TYPE schedule_status AS ENUM ('draft', 'paused', 'sent', 'archived');

INSERT INTO product_tasks (name, total, created_at) VALUES
    ('event-0', 198, now()),
    ('task-1', 29, now()),
    ('report-2', 351, now()),
    ('supplier-3', 33, now()),
    ('order-4', 58, now()),
    ('comment-5', 196, now()),
    ('inventory-6', 249, now()),
    ('product-7', 93, now()),
    ('plan-8', 70, now()),
    ('order-9', 205, now()),
    ('dashboard-10', 17, now()),
    ('task-11', 131, now()),
    ('payment-12', 96, now()),
    ('notification-13', 35, now()),
    ('session-14', 482, now()),
    ('message-15', 365, now()),
    ('product-16', 38, now()),
    ('metric-17', 286, now()),
    ('import-18', 14, now()),
    ('permission-19', 458, now()),
    ('flag-20', 384, now()),
    ('shipment-21', 131, now()),
    ('token-22', 491, now()),
    ('event-23', 390, now()),
    ('warehouse-24', 156, now())
ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS comment_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    last_seen_at integer NOT NULL,
    country boolean NOT NULL,
    kind varchar(255),
    payload_x boolean DEFAULT '',
    order_import_id bigint REFERENCES order_imports (id) ON DELETE CASCADE,
    CONSTRAINT comment_sessions_last_seen_at_check CHECK (last_seen_at IS NOT NULL)
);

COMMENT ON TABLE comment_sessions IS 'Holds comment sessions for the project service.';

CREATE TABLE IF NOT EXISTS session_comments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    deleted_at text[] NOT NULL DEFAULT '',
    zip_x integer DEFAULT now(),
    country double precision,
    name char(2),
    zip date,
    price uuid NOT NULL,
    city double precision NOT NULL,
    priority_x boolean,
    amount_x jsonb DEFAULT 0,
    currency uuid,
    CONSTRAINT session_comments_deleted_at_check CHECK (deleted_at IS NOT NULL)
);

COMMENT ON TABLE session_comments IS 'Holds session comments for the message service.';
CREATE INDEX session_comments_currency_idx ON session_comments (currency);
CREATE INDEX session_comments_priority_x_idx ON session_comments (priority_x);
