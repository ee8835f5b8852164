-- contract report threads priority
-- Ticket: ENG-1448. Reviewed by the data team.

DROP INDEX IF EXISTS report_threads_priority_idx;

CREATE INDEX CONCURRENTLY job_attachments_expires_at_96_idx ON job_attachments (expires_at);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM dashboard_metrics WHERE note IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop dashboard_metrics.note: it still holds data';
    END IF;
END
$$;

ALTER TABLE dashboard_metrics DROP COLUMN note;

CREATE TABLE usage_features (
    id bigserial PRIMARY KEY,
    price boolean NOT NULL,
    priority char(2),
    attempts_x char(2) NOT NULL,
    last_seen_at jsonb,
    created_at uuid,
    external_id bigint,
    amount_x text NOT NULL,
    region text,
    attempts boolean,
    kind varchar(255),
    locale bigint NOT NULL,
    expires_at uuid,
    title date NOT NULL,
    country inet DEFAULT 0,
    attachment_audit_id bigint REFERENCES attachment_audits (id) ON DELETE CASCADE,
    CONSTRAINT usage_features_price_check CHECK (price IS NOT NULL)
);

COMMENT ON TABLE usage_features IS 'Holds usage features for the metric service.';

ALTER TYPE invoice_status ADD VALUE IF NOT EXISTS 'blocked';
