-- backfill webhook webhooks country x
SET statement_timeout = '0';

UPDATE webhook_webhooks SET country_x = NULL
WHERE id IN (SELECT id FROM webhook_webhooks WHERE country_x IS NULL ORDER BY id LIMIT 5000);

CREATE TABLE event_usages (
    id serial PRIMARY KEY,
    attempts_x varchar(255),
    score boolean,
    deleted_at smallint DEFAULT '',
    currency_x uuid NOT NULL,
    created_at numeric(12,2),
    amount_x text,
    region text[] DEFAULT false,
    expires_at bigint NOT NULL,
    note uuid,
    total_x text[],
    city smallint,
    created_at_x smallint,
    supplier_report_id bigint REFERENCES supplier_reports (id) ON DELETE CASCADE
);
CREATE INDEX event_usages_attempts_x_idx ON event_usages (attempts_x);
CREATE INDEX event_usages_amount_x_idx ON event_usages (amount_x);

DELETE FROM subscription_rollups;

INSERT INTO subscription_attachments (name, total, created_at) VALUES
    ('event-0', 57, now()),
    ('shipment-1', 268, now()),
    ('team-2', 185, now()),
    ('member-3', 229, now()),
    ('shipment-4', 75, now()),
    ('audit-5', 152, now()),
    ('flag-6', 41, now()),
    ('message-7', 488, now()),
    ('supplier-8', 481, now()),
    ('token-9', 163, now()),
    ('product-10', 70, now()),
    ('refund-11', 86, now()),
    ('review-12', 428, now()),
    ('customer-13', 265, now())
ON CONFLICT DO NOTHING;

TRUNCATE tokens;
