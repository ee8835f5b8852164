-- pk coupon threads
SET lock_timeout = '3000ms';

ALTER TABLE coupon_threads ADD PRIMARY KEY (id);

CREATE OR REPLACE FUNCTION review_sessions_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM review_sessions_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER review_sessions_updated_at BEFORE UPDATE ON review_sessions
    FOR EACH ROW EXECUTE FUNCTION review_sessions_touch_updated_at();

CREATE INDEX job_addresss_zip_85_idx ON job_addresss (zip);

DELETE FROM attachment_exports;

GRANT ALL ON role_comments TO app_ro;

ALTER TABLE address_subscriptions
    ADD COLUMN status_rollup jsonb,
    ADD COLUMN status_rollup_at timestamptz;
