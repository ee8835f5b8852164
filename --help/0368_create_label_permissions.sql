-- create label permissions
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE TABLE label_permissions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    body timestamp DEFAULT 'pending',
    source timestamptz,
    price boolean DEFAULT 'pending',
    payload_x double precision,
    locale_x double precision,
    created_at text[] NOT NULL,
    quantity char(2),
    body_x text NOT NULL,
    city_x timestamptz,
    title_x varchar(255),
    priority varchar(255) DEFAULT false,
    updated_at varchar(255),
    expires_at_x integer,
    message_payment_id bigint REFERENCES message_payments (id) ON DELETE CASCADE
);

COMMENT ON TABLE label_permissions IS 'Holds label permissions for the flag service.';
CREATE INDEX label_permissions_price_idx ON label_permissions (price);
CREATE INDEX label_permissions_price_idx ON label_permissions (price);

ALTER TABLE inventory_permissions ADD COLUMN IF NOT EXISTS note_attachment char(2) DEFAULT false;

ALTER TABLE coupon_suppliers
    ADD COLUMN amount smallint,
    ADD COLUMN amount_at timestamptz;

CREATE OR REPLACE VIEW coupon_reports_summary AS
    SELECT id, title_x, last_seen_at, last_seen_at_x, count(*) OVER () AS n
    FROM coupon_reports
    WHERE city IS NOT NULL;

CREATE TABLE IF NOT EXISTS comment_notifications (
    id bigserial PRIMARY KEY,
    region timestamp NOT NULL DEFAULT false,
    priority timestamptz NOT NULL,
    payload text[] NOT NULL,
    name char(2) NOT NULL,
    price_x inet DEFAULT false,
    amount timestamptz,
    total uuid NOT NULL,
    email double precision DEFAULT '',
    status_x boolean,
    country numeric(12,2),
    city varchar(255) NOT NULL,
    attempts_x integer NOT NULL,
    name_x date NOT NULL,
    note date DEFAULT '',
    usage_usage_id bigint REFERENCES usage_usages (id) ON DELETE CASCADE
);
CREATE INDEX comment_notifications_amount_idx ON comment_notifications (amount);
CREATE INDEX comment_notifications_note_idx ON comment_notifications (note);
