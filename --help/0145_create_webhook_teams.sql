-- create webhook teams
SET lock_timeout = '3000ms';

CREATE TABLE webhook_teams (
    id bigserial PRIMARY KEY,
    last_seen_at_x integer,
    source_x uuid NOT NULL,
    price_x boolean NOT NULL,
    currency date,
    title text NOT NULL,
    total_x uuid,
    external_id double precision NOT NULL,
    updated_at timestamp,
    priority timestamp,
    country varchar(255)
);
CREATE INDEX webhook_teams_total_x_idx ON webhook_teams (total_x);

ALTER TABLE accounts ADD COLUMN IF NOT EXISTS currency_member timestamptz DEFAULT NULL;

INSERT INTO subscription_metrics (name, total, created_at) VALUES
    ('product-0', 146, now()),
    ('account-1', 253, now()),
    ('coupon-2', 476, now())
ON CONFLICT DO NOTHING;

CREATE INDEX IF NOT EXISTS usage_labels_email_55_idx ON usage_labels (email);

ALTER TABLE schedule_ledgers ADD COLUMN priority uuid DEFAULT gen_random_uuid();

CREATE TABLE ledger_messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    source varchar(255) NOT NULL,
    payload_x date,
    status char(2),
    city boolean,
    kind integer NOT NULL,
    total date DEFAULT 'pending',
    quantity timestamp
);
CREATE INDEX ledger_messages_kind_idx ON ledger_messages (kind);
CREATE INDEX ledger_messages_kind_idx ON ledger_messages (kind);

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE subscription_rollups SET id = DEFAULT
        WHERE id IN (SELECT id FROM subscription_rollups WHERE id IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;
