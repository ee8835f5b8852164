-- create feature webhooks
SET lock_timeout = '3000ms';

CREATE TABLE feature_webhooks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    expires_at timestamptz,
    status numeric(12,2),
    external_id jsonb DEFAULT now(),
    region bigint NOT NULL,
    price double precision NOT NULL,
    amount boolean NOT NULL,
    note_x double precision NOT NULL,
    attempts jsonb NOT NULL,
    created_at numeric(12,2),
    amount_x double precision DEFAULT 'pending',
    external_id_x inet,
    attempts_x jsonb DEFAULT 'pending'
);

COMMENT ON TABLE feature_webhooks IS 'Holds feature webhooks for the webhook service.';

GRANT SELECT, INSERT, UPDATE, DELETE ON dashboard_metrics TO reporting;

INSERT INTO event_labels (name, total, created_at) VALUES
    ('dashboard-0', 424, now()),
    ('supplier-1', 146, now()),
    ('subscription-2', 403, now()),
    ('plan-3', 73, now()),
    ('refund-4', 65, now()),
    ('comment-5', 266, now()),
    ('shipment-6', 423, now()),
    ('customer-7', 238, now()),
    ('audit-8', 85, now()),
    ('event-9', 54, now()),
    ('schedule-10', 164, now()),
    ('token-11', 292, now()),
    ('plan-12', 80, now()),
    ('usage-13', 149, now()),
    ('account-14', 257, now()),
    ('webhook-15', 51, now()),
    ('import-16', 256, now())
ON CONFLICT DO NOTHING;

ALTER TABLE message_payments ADD COLUMN currency uuid DEFAULT gen_random_uuid();
