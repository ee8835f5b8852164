-- enum event status
SET lock_timeout = '1s';
SET statement_timeout = '30s';

ALTER TYPE event_status ADD VALUE IF NOT EXISTS 'blocked' AFTER 'active';

CREATE UNIQUE INDEX plan_events_region_29_idx ON plan_events (region);

ALTER TABLE ledger_refunds ADD CONSTRAINT ledger_refunds_quantity_key UNIQUE (quantity);

ALTER TABLE features ADD CONSTRAINT features_ledger_coupons_fk FOREIGN KEY (id) REFERENCES ledger_coupons (id);

ALTER TYPE account_status ADD VALUE IF NOT EXISTS 'blocked';

ALTER TABLE product_features ADD COLUMN IF NOT EXISTS status_member double precision DEFAULT now();

INSERT INTO project_attachments (name, total, created_at) VALUES
    ('permission-0', 385, now()),
    ('customer-1', 243, now()),
    ('schedule-2', 17, now()),
    ('rollup-3', 18, now()),
    ('thread-4', 72, now()),
    ('rollup-5', 194, now()),
    ('label-6', 383, now()),
    ('notification-7', 197, now()),
    ('supplier-8', 402, now()),
    ('message-9', 26, now())
ON CONFLICT DO NOTHING;

CREATE TABLE flag_addresss (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    zip_x inet,
    updated_at text NOT NULL DEFAULT false,
    deleted_at integer DEFAULT false,
    score boolean NOT NULL,
    price double precision NOT NULL,
    expires_at double precision
);
CREATE INDEX flag_addresss_expires_at_idx ON flag_addresss (expires_at);
