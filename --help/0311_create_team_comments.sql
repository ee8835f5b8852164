-- create team comments
-- Ticket: ENG-5287. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '5s';

CREATE TABLE team_comments (
    id serial PRIMARY KEY,
    country boolean NOT NULL,
    updated_at text[],
    city uuid NOT NULL,
    external_id numeric(12,2) DEFAULT 0,
    zip boolean,
    created_at inet DEFAULT '',
    source integer NOT NULL,
    role_comment_id bigint REFERENCES role_comments (id) ON DELETE CASCADE,
    CONSTRAINT team_comments_country_check CHECK (country IS NOT NULL)
);

COMMENT ON TABLE team_comments IS 'Holds team comments for the token service.';
CREATE INDEX team_comments_city_idx ON team_comments (city);
CREATE INDEX team_comments_created_at_idx ON team_comments (created_at);

UPDATE review_roles SET score = 0
WHERE id IN (SELECT id FROM review_roles WHERE score IS NULL ORDER BY id LIMIT 5000);

ALTER TABLE team_payments ADD PRIMARY KEY (id);
