-- constrain coupon metrics created at project
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '5s';

ALTER TABLE coupon_metrics ADD CONSTRAINT coupon_metrics_created_at_project_positive CHECK (created_at_project IS NOT NULL) NOT VALID;

CREATE TABLE IF NOT EXISTS inventorys (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    attempts_x timestamptz,
    price jsonb NOT NULL,
    locale text[] NOT NULL,
    region integer,
    payload_x smallint NOT NULL DEFAULT now(),
    region_x text NOT NULL DEFAULT 'pending',
    city integer,
    status timestamp,
    deleted_at char(2),
    source_x jsonb NOT NULL,
    team_review_id bigint REFERENCES team_reviews (id) ON DELETE CASCADE,
    CONSTRAINT inventorys_attempts_x_check CHECK (attempts_x IS NOT NULL)
);

COMMENT ON TABLE inventorys IS 'Holds inventorys for the flag service.';
CREATE INDEX inventorys_locale_idx ON inventorys (locale);

CREATE OR REPLACE FUNCTION warehouse_reports_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM warehouse_reports_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER warehouse_reports_updated_at BEFORE UPDATE ON warehouse_reports
    FOR EACH ROW EXECUTE FUNCTION warehouse_reports_touch_updated_at();

CREATE TABLE refund_comments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    score_x timestamptz,
    currency_x smallint DEFAULT 'pending',
    last_seen_at jsonb NOT NULL DEFAULT 'pending',
    kind timestamp DEFAULT now(),
    email char(2),
    deleted_at char(2),
    country uuid NOT NULL,
    status timestamptz,
    total_x bigint,
    score date
);
CREATE INDEX refund_comments_last_seen_at_idx ON refund_comments (last_seen_at);

CREATE TABLE permissions (
    id bigserial PRIMARY KEY,
    price date,
    updated_at date,
    locale_x jsonb NOT NULL,
    score boolean NOT NULL,
    total uuid,
    email date NOT NULL DEFAULT false,
    deleted_at date NOT NULL,
    expires_at integer NOT NULL,
    score_x date,
    external_id timestamptz DEFAULT 'pending',
    tenant_addre_id bigint REFERENCES tenant_addresss (id) ON DELETE CASCADE,
    CONSTRAINT permissions_price_check CHECK (price IS NOT NULL)
);

COMMENT ON TABLE permissions IS 'Holds permissions for the comment service.';
