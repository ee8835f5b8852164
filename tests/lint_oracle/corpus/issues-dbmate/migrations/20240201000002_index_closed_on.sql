-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY IF NOT EXISTS index_issues_on_closed_on ON issues USING btree (closed_on);

-- migrate:down
