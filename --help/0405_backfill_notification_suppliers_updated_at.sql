-- backfill notification suppliers updated at
SET lock_timeout = '3000ms';

UPDATE notification_suppliers SET updated_at = 'unknown'
WHERE id IN (SELECT id FROM notification_suppliers WHERE updated_at IS NULL ORDER BY id LIMIT 5000);

CREATE TABLE IF NOT EXISTS event_tokens (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    updated_at char(2) DEFAULT now(),
    payload_x integer,
    payload smallint,
    country timestamp NOT NULL,
    body jsonb DEFAULT false,
    external_id bigint DEFAULT false,
    status date,
    kind jsonb NOT NULL DEFAULT now()
);

COMMENT ON TABLE event_tokens IS 'Holds event tokens for the permission service.';

ALTER TABLE role_flags ADD PRIMARY KEY (id);

ALTER TABLE attachment_refunds ADD PRIMARY KEY (id);
