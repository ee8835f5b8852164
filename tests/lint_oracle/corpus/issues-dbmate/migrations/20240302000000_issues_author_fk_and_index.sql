-- migrate:up
-- written without the helpers
CREATE TABLE users (id bigserial PRIMARY KEY, username varchar NOT NULL);
INSERT INTO users (username) SELECT 'user' || g FROM generate_series(1, 17) g;
ALTER TABLE issues ADD CONSTRAINT fk_issues_author_id FOREIGN KEY (author_id) REFERENCES users (id);
CREATE INDEX index_issues_on_author_id ON issues (author_id);
ALTER TABLE issues ALTER COLUMN state TYPE varchar(20);

-- migrate:down
