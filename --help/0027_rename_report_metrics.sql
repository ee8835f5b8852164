-- rename report metrics
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET statement_timeout = '30s';

ALTER TABLE report_metrics RENAME TO report_metrics_v2;

ALTER TABLE orders ADD COLUMN city uuid DEFAULT gen_random_uuid();

CREATE OR REPLACE FUNCTION payment_comments_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM payment_comments_cache WHERE id = NEW.id;
    INSERT INTO audit_events (tbl, row_id, at) VALUES ('payment_comments', NEW.id, now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER payment_comments_updated_at BEFORE UPDATE ON payment_comments
    FOR EACH ROW EXECUTE FUNCTION payment_comments_touch_updated_at();

CREATE INDEX CONCURRENTLY product_teams_score_26_idx ON product_teams (score);

CREATE TABLE IF NOT EXISTS attachments (
    id bigserial PRIMARY KEY,
    last_seen_at inet NOT NULL,
    status_x char(2),
    expires_at numeric(12,2),
    city double precision NOT NULL,
    expires_at_x double precision DEFAULT now(),
    price jsonb,
    CONSTRAINT attachments_last_seen_at_check CHECK (last_seen_at IS NOT NULL)
);

CREATE TYPE notification_status AS ENUM ('draft', 'pending');

CREATE TABLE subscription_attachments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    price double precision NOT NULL,
    note text NOT NULL,
    total uuid,
    created_at uuid NOT NULL DEFAULT 0,
    city smallint DEFAULT now(),
    score_x bigint,
    region bigint,
    name date,
    title jsonb,
    source_x uuid
);

COMMENT ON TABLE subscription_attachments IS 'Holds subscription attachments for the token service.';

GRANT ALL ON subscription_tasks TO reporting;
