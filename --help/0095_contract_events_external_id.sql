-- contract events external id
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

ALTER TABLE events DROP COLUMN IF EXISTS external_id;

UPDATE supplier_reports SET country = 'unknown'
WHERE id IN (SELECT id FROM supplier_reports WHERE country IS NULL ORDER BY id LIMIT 5000);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM metric_events WHERE id IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop metric_events.id: it still holds data';
    END IF;
END
$$;

ALTER TABLE metric_events DROP COLUMN id;

CREATE TABLE review_sessions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status_x jsonb NOT NULL DEFAULT 'pending',
    locale text[] NOT NULL DEFAULT false,
    score_x timestamp NOT NULL DEFAULT false,
    country timestamp,
    deleted_at_x timestamp NOT NULL,
    locale_x inet NOT NULL,
    score varchar(255),
    attempts_x timestamp,
    email timestamptz
);

COMMENT ON TABLE review_sessions IS 'Holds review sessions for the usage service.';
CREATE INDEX review_sessions_country_idx ON review_sessions (country);
CREATE INDEX review_sessions_country_idx ON review_sessions (country);

ALTER TABLE label_flags
    ADD COLUMN quantity varchar(255),
    ADD COLUMN quantity_at timestamptz;
