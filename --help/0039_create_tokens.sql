-- create tokens
-- Ticket: ENG-4241. Reviewed by the data team.
SET lock_timeout = '2s';
SET statement_timeout = '5min';

CREATE TABLE IF NOT EXISTS tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name_x timestamptz,
    expires_at char(2),
    deleted_at date,
    priority_x varchar(255) NOT NULL,
    quantity text,
    external_id char(2) NOT NULL,
    locale timestamp,
    created_at timestamptz,
    CONSTRAINT tokens_name_x_check CHECK (name_x IS NOT NULL)
);
CREATE INDEX tokens_priority_x_idx ON tokens (priority_x);
CREATE INDEX tokens_locale_idx ON tokens (locale);

VACUUM FULL session_subscriptions;

GRANT SELECT ON report_metrics TO app_rw;
