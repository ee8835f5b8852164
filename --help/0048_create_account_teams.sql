-- create account teams
SET lock_timeout = '2s';

CREATE TABLE IF NOT EXISTS account_teams (
    id bigserial PRIMARY KEY,
    created_at_x bigint NOT NULL DEFAULT false,
    locale timestamp,
    kind text[] NOT NULL DEFAULT 'pending',
    created_at timestamp NOT NULL DEFAULT 0,
    last_seen_at timestamptz,
    CONSTRAINT account_teams_created_at_x_check CHECK (created_at_x IS NOT NULL)
);

COMMENT ON TABLE account_teams IS 'Holds account teams for the thread service.';
CREATE INDEX account_teams_kind_idx ON account_teams (kind);
CREATE INDEX account_teams_created_at_idx ON account_teams (created_at);

ALTER TABLE payment_comments ADD COLUMN source_token uuid DEFAULT gen_random_uuid();

CREATE OR REPLACE FUNCTION dashboard_inventorys_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER dashboard_inventorys_updated_at BEFORE UPDATE ON dashboard_inventorys
    FOR EACH ROW EXECUTE FUNCTION dashboard_inventorys_touch_updated_at();

CREATE VIEW label_flags_summary AS
    SELECT id, external_id, email, amount_x, count(*) OVER () AS n
    FROM label_flags
    WHERE email IS NOT NULL;

ALTER TABLE refund_rollups RENAME COLUMN amount TO amount_old;

CREATE TABLE subscriptions (
    id serial PRIMARY KEY,
    score text[] DEFAULT now(),
    attempts text[] NOT NULL,
    currency date DEFAULT 0,
    price text DEFAULT '',
    kind timestamptz,
    external_id bigint NOT NULL DEFAULT false,
    amount char(2)
);

COMMENT ON TABLE subscriptions IS 'Holds subscriptions for the notification service.';
CREATE INDEX subscriptions_currency_idx ON subscriptions (currency);
CREATE INDEX subscriptions_currency_idx ON subscriptions (currency);
