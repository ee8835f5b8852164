-- backfill inventory metrics source
SET lock_timeout = '5s';

UPDATE inventory_metrics SET source = NULL
WHERE id IN (SELECT id FROM inventory_metrics WHERE source IS NULL ORDER BY id LIMIT 1000);

INSERT INTO team_schedules (name, total, created_at) VALUES
    ('rollup-0', 117, now()),
    ('thread-1', 444, now()),
    ('permission-2', 406, now()),
    ('address-3', 4, now())
ON CONFLICT DO NOTHING;

VACUUM FULL account_teams;

CREATE TABLE IF NOT EXISTS features (
    id serial PRIMARY KEY,
    body_x integer,
    currency bigint,
    locale_x jsonb DEFAULT 0,
    subscription_id bigint REFERENCES subscriptions (id) ON DELETE CASCADE
);

COMMENT ON TABLE features IS 'Holds features for the label service.';
CREATE INDEX features_currency_idx ON features (currency);
CREATE INDEX features_locale_x_idx ON features (locale_x);

CREATE TABLE IF NOT EXISTS order_threads (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    status date,
    email varchar(255) DEFAULT 0,
    deleted_at_x jsonb,
    name_x timestamptz NOT NULL,
    priority double precision DEFAULT false,
    job_notification_id bigint REFERENCES job_notifications (id) ON DELETE CASCADE
);

COMMENT ON TABLE order_threads IS 'Holds order threads for the webhook service.';

INSERT INTO tenant_permissions (name, total, created_at) VALUES
    ('order-0', 460, now()),
    ('project-1', 182, now()),
    ('event-2', 37, now()),
    ('attachment-3', 164, now()),
    ('coupon-4', 89, now()),
    ('notification-5', 291, now()),
    ('metric-6', 496, now()),
    ('label-7', 251, now()),
    ('session-8', 41, now()),
    ('dashboard-9', 280, now())
ON CONFLICT DO NOTHING;
