-- backfill rollup reports total
-- Ticket: ENG-3474. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '5s';

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE rollup_reports SET total = DEFAULT
        WHERE id IN (SELECT id FROM rollup_reports WHERE total IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

VACUUM FULL attachments;

ALTER TABLE thread_metrics DROP COLUMN IF EXISTS city_x;

ALTER TABLE message_payments ADD COLUMN IF NOT EXISTS priority date DEFAULT NULL;

CREATE TABLE IF NOT EXISTS feature_features (
    id bigserial PRIMARY KEY,
    body_x boolean NOT NULL,
    external_id boolean NOT NULL,
    name smallint,
    quantity_x integer DEFAULT 0,
    amount text NOT NULL,
    last_seen_at numeric(12,2),
    country_x varchar(255),
    score double precision,
    zip boolean,
    country char(2),
    quantity bigint NOT NULL,
    locale_x numeric(12,2) NOT NULL,
    inventory_order_id bigint REFERENCES inventory_orders (id) ON DELETE CASCADE,
    CONSTRAINT feature_features_body_x_check CHECK (body_x IS NOT NULL)
);
CREATE INDEX feature_features_last_seen_at_idx ON feature_features (last_seen_at);

ALTER TABLE warehouse_reports RENAME COLUMN payload_x TO payload_x_old;

DROP TABLE IF EXISTS usage_subscriptions_legacy;

CREATE UNIQUE INDEX CONCURRENTLY roles_body_x_37_idx ON roles (body_x);
