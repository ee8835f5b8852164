-- grant session shipments app rw
SET lock_timeout = '3000ms';

GRANT ALL ON session_shipments TO app_rw;

CREATE TYPE audit_status AS ENUM ('failed', 'pending', 'archived');
