-- pk subscription tasks
SET lock_timeout = '2s';

ALTER TABLE subscription_tasks ADD PRIMARY KEY (id);

CREATE INDEX CONCURRENTLY plan_webhooks_score_3_idx ON plan_webhooks (score);

INSERT INTO subscriptions (name, total, created_at) VALUES
    ('refund-0', 378, now()),
    ('member-1', 195, now()),
    ('report-2', 347, now()),
    ('export-3', 288, now()),
    ('label-4', 187, now()),
    ('dashboard-5', 6, now()),
    ('role-6', 366, now())
ON CONFLICT DO NOTHING;

ALTER TABLE attachment_members ADD COLUMN IF NOT EXISTS quantity boolean DEFAULT 0;

CREATE INDEX audits_quantity_x_62_idx ON audits (quantity_x) WHERE updated_at IS NOT NULL;

DO $$
DECLARE
    batch integer := 5000;
    done integer;
BEGIN
    LOOP
        UPDATE supplier_accounts SET locale = DEFAULT
        WHERE id IN (SELECT id FROM supplier_accounts WHERE locale IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

CREATE INDEX CONCURRENTLY IF NOT EXISTS session_subscriptions_deleted_at_11_idx ON session_subscriptions (deleted_at);
