-- create review dashboards
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE TABLE review_dashboards (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    updated_at inet,
    last_seen_at timestamp NOT NULL DEFAULT 'pending',
    total char(2) NOT NULL DEFAULT 'pending',
    kind double precision NOT NULL,
    amount smallint,
    zip_x inet NOT NULL,
    city varchar(255) NOT NULL,
    price_x timestamptz,
    amount_x timestamp NOT NULL DEFAULT now(),
    token_schedule_id bigint REFERENCES token_schedules (id) ON DELETE CASCADE
);
CREATE INDEX review_dashboards_last_seen_at_idx ON review_dashboards (last_seen_at);

CREATE TABLE shipments (
    id bigserial PRIMARY KEY,
    deleted_at_x timestamp,
    email_x timestamptz NOT NULL,
    note varchar(255),
    body integer,
    attempts double precision NOT NULL,
    currency numeric(12,2),
    thread_id bigint REFERENCES threads (id) ON DELETE CASCADE
);
CREATE INDEX shipments_currency_idx ON shipments (currency);

VACUUM FULL team_payments;
