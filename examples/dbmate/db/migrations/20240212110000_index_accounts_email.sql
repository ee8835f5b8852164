-- dbmate wraps each file in a transaction unless the section says transaction:false, and
-- CREATE INDEX CONCURRENTLY cannot run inside one.

-- migrate:up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY accounts_email_key ON accounts (email);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY accounts_email_key;
