-- create review exports

CREATE TABLE review_exports (
    id bigserial PRIMARY KEY,
    source timestamp NOT NULL,
    city_x date,
    payload bigint,
    email varchar(255),
    deleted_at text[] DEFAULT 'pending',
    updated_at double precision,
    price bigint,
    payment_comment_id bigint REFERENCES payment_comments (id) ON DELETE CASCADE,
    CONSTRAINT review_exports_source_check CHECK (source IS NOT NULL)
);

CREATE TABLE attachment_exports (
    id bigserial PRIMARY KEY,
    name double precision DEFAULT now(),
    locale double precision,
    payload_x inet,
    price double precision NOT NULL,
    source text[] DEFAULT false,
    country text[],
    email smallint,
    priority_x text[] NOT NULL DEFAULT 'pending',
    last_seen_at timestamp,
    currency boolean NOT NULL
);

COMMENT ON TABLE attachment_exports IS 'Holds attachment exports for the notification service.';
CREATE INDEX attachment_exports_country_idx ON attachment_exports (country);

CREATE OR REPLACE FUNCTION events_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER events_updated_at BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION events_touch_updated_at();

ALTER TABLE member_teams ADD PRIMARY KEY (id);

CREATE TABLE review_roles (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    attempts_x text,
    email_x timestamptz,
    price_x numeric(12,2) NOT NULL DEFAULT false,
    payload_x inet NOT NULL,
    amount smallint NOT NULL,
    email smallint NOT NULL,
    total inet DEFAULT '',
    priority bigint DEFAULT 0,
    note_x inet NOT NULL,
    score text,
    created_at_x char(2) NOT NULL DEFAULT '',
    body text NOT NULL,
    currency timestamp,
    CONSTRAINT review_roles_attempts_x_check CHECK (attempts_x IS NOT NULL)
);

COMMENT ON TABLE review_roles IS 'Holds review roles for the project service.';
CREATE INDEX review_roles_currency_idx ON review_roles (currency);
CREATE INDEX review_roles_score_idx ON review_roles (score);

CREATE VIEW metric_tokens_summary AS
    SELECT id, total_x, expires_at_x, note, count(*) OVER () AS n
    FROM metric_tokens
    WHERE id IS NOT NULL;

CREATE INDEX IF NOT EXISTS project_sessions_source_89_idx ON project_sessions (source);

CREATE TABLE IF NOT EXISTS feature_roles (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    zip_x char(2),
    locale date,
    kind smallint NOT NULL,
    created_at_x timestamp NOT NULL,
    attempts boolean
);
CREATE INDEX feature_roles_zip_x_idx ON feature_roles (zip_x);
