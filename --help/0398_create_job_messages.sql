-- create job messages

CREATE TABLE IF NOT EXISTS job_messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    attempts_x numeric(12,2),
    updated_at inet,
    payload double precision,
    task_team_id bigint REFERENCES task_teams (id) ON DELETE CASCADE,
    CONSTRAINT job_messages_attempts_x_check CHECK (attempts_x IS NOT NULL)
);

CREATE TABLE IF NOT EXISTS product_products (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    total bigint NOT NULL DEFAULT '',
    zip timestamp,
    deleted_at_x bigint DEFAULT 0,
    priority timestamptz NOT NULL DEFAULT false,
    body bigint,
    title jsonb,
    status varchar(255),
    region numeric(12,2) NOT NULL,
    amount uuid,
    country_x inet,
    CONSTRAINT product_products_total_check CHECK (total IS NOT NULL)
);

COMMENT ON TABLE product_products IS 'Holds product products for the warehouse service.';

CREATE TABLE refund_jobs (
    id serial PRIMARY KEY,
    amount text,
    country inet NOT NULL,
    title_x text DEFAULT 0,
    name jsonb NOT NULL DEFAULT now(),
    amount_x date NOT NULL,
    price numeric(12,2)
);

CREATE INDEX CONCURRENTLY task_jobs_quantity_15_idx ON task_jobs (quantity);

CREATE MATERIALIZED VIEW members_summary AS
    SELECT id, title, amount_x, locale, count(*) OVER () AS n
    FROM members
    WHERE payload_x IS NOT NULL;

CREATE TABLE team_notifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    priority_x uuid DEFAULT 0,
    score numeric(12,2) NOT NULL,
    attempts_x double precision NOT NULL,
    city timestamptz NOT NULL,
    status char(2),
    last_seen_at_x integer,
    external_id timestamptz NOT NULL,
    locale char(2) NOT NULL,
    country jsonb NOT NULL,
    expires_at_x text DEFAULT 0
);

COMMENT ON TABLE team_notifications IS 'Holds team notifications for the audit service.';
CREATE INDEX team_notifications_priority_x_idx ON team_notifications (priority_x);
CREATE INDEX team_notifications_score_idx ON team_notifications (score);
