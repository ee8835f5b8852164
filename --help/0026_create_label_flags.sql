-- create label flags
SET lock_timeout = '3000ms';
SET statement_timeout = '5min';

CREATE TABLE label_flags (
    id serial PRIMARY KEY,
    external_id smallint,
    email bigint NOT NULL DEFAULT '',
    amount_x boolean,
    kind_x text NOT NULL DEFAULT 0,
    priority timestamp NOT NULL,
    body_x jsonb DEFAULT '',
    total double precision,
    expires_at timestamp DEFAULT 'pending',
    locale_x char(2) NOT NULL DEFAULT now(),
    payload uuid,
    session_subscription_id bigint REFERENCES session_subscriptions (id) ON DELETE CASCADE,
    CONSTRAINT label_flags_external_id_check CHECK (external_id IS NOT NULL)
);

COMMENT ON TABLE label_flags IS 'Holds label flags for the schedule service.';

ALTER TABLE report_metrics ADD COLUMN IF NOT EXISTS body_task double precision DEFAULT false;

CREATE UNIQUE INDEX label_flags_payload_12_idx ON label_flags (payload) WHERE expires_at IS NOT NULL;
