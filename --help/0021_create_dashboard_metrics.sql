-- create dashboard metrics

CREATE TABLE dashboard_metrics (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    price integer NOT NULL DEFAULT 0,
    payload text[] DEFAULT '',
    created_at text,
    note text,
    amount_x integer,
    kind jsonb NOT NULL,
    currency_x timestamptz,
    coupon_metric_id bigint REFERENCES coupon_metrics (id) ON DELETE CASCADE
);

COMMENT ON TABLE dashboard_metrics IS 'Holds dashboard metrics for the comment service.';

INSERT INTO product_teams (name, total, created_at) VALUES
    ('usage-0', 286, now()),
    ('attachment-1', 330, now()),
    ('subscription-2', 134, now()),
    ('report-3', 212, now())
ON CONFLICT DO NOTHING;

CREATE TYPE session_status AS ENUM ('failed', 'done');

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM token_schedules WHERE score IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop token_schedules.score: it still holds data';
    END IF;
END
$$;

ALTER TABLE token_schedules DROP COLUMN score;
