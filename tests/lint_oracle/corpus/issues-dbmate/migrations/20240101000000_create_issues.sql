-- migrate:up
CREATE TABLE projects (
    id bigserial PRIMARY KEY,
    name varchar NOT NULL,
    archived boolean DEFAULT false NOT NULL
);

CREATE TABLE issues (
    id bigserial PRIMARY KEY,
    project_id bigint,
    author_id bigint,
    title varchar NOT NULL,
    state varchar DEFAULT 'opened' NOT NULL,
    closed_at timestamp without time zone,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL
);

CREATE INDEX index_issues_on_closed_at ON issues USING btree (closed_at);

CREATE TABLE timelogs (
    id bigserial PRIMARY KEY,
    issue_id bigint,
    time_spent integer NOT NULL,
    created_at timestamp without time zone NOT NULL
);

-- migrate:down
