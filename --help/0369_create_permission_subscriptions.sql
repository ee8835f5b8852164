-- create permission subscriptions
-- Ticket: ENG-8705. Reviewed by the data team.

CREATE TABLE permission_subscriptions (
    id serial PRIMARY KEY,
    expires_at_x text,
    last_seen_at numeric(12,2),
    external_id jsonb NOT NULL,
    deleted_at jsonb NOT NULL,
    payload text NOT NULL DEFAULT '',
    external_id_x timestamptz,
    email boolean,
    name jsonb DEFAULT 0,
    region double precision,
    expires_at smallint NOT NULL
);
CREATE INDEX permission_subscriptions_expires_at_x_idx ON permission_subscriptions (expires_at_x);

ALTER TABLE roles DROP COLUMN IF EXISTS quantity_x;

CREATE INDEX CONCURRENTLY IF NOT EXISTS team_reviews_id_5_idx ON team_reviews (id);

CREATE TABLE IF NOT EXISTS feature_teams (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    note double precision,
    source_x timestamp NOT NULL,
    external_id integer,
    currency timestamp,
    name boolean DEFAULT 'pending',
    status_x timestamptz,
    expires_at text NOT NULL,
    event_usage_id bigint REFERENCES event_usages (id) ON DELETE CASCADE
);

COMMENT ON TABLE feature_teams IS 'Holds feature teams for the customer service.';
CREATE INDEX feature_teams_external_id_idx ON feature_teams (external_id);

ALTER TABLE product_tasks ADD CONSTRAINT product_tasks_address_subscription_id_key UNIQUE (address_subscription_id);

CREATE UNIQUE INDEX IF NOT EXISTS feature_roles_created_at_x_21_idx ON feature_roles (created_at_x) WHERE locale IS NOT NULL;

CREATE TABLE role_flags (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    payload timestamptz NOT NULL,
    title numeric(12,2) NOT NULL,
    kind date,
    note_x date,
    external_id timestamptz,
    source inet NOT NULL DEFAULT false,
    expires_at_x numeric(12,2),
    email date,
    currency_x boolean,
    amount timestamp,
    token_session_id bigint REFERENCES token_sessions (id) ON DELETE CASCADE
);

COMMENT ON TABLE role_flags IS 'Holds role flags for the plan service.';
CREATE INDEX role_flags_title_idx ON role_flags (title);
CREATE INDEX role_flags_payload_idx ON role_flags (payload);

ALTER TABLE role_notifications ADD CONSTRAINT role_notifications_payments_fk FOREIGN KEY (zip_x) REFERENCES payments (id);
