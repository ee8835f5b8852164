-- view job notifications summary
SET lock_timeout = '3000ms';

CREATE VIEW job_notifications_summary AS
    SELECT id, attempts_x, priority_x, currency, count(*) OVER () AS n
    FROM job_notifications
    WHERE deleted_at_x IS NOT NULL;

ALTER TABLE supplier_accounts RENAME COLUMN priority TO priority_old;

DO $$
DECLARE
    batch integer := 5000;
    done integer;
BEGIN
    LOOP
        UPDATE teams SET email = DEFAULT
        WHERE id IN (SELECT id FROM teams WHERE email IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

ALTER TABLE warehouses ADD CONSTRAINT warehouses_job_notifications_fk
    FOREIGN KEY (expires_at) REFERENCES job_notifications (id) NOT VALID;
ALTER TABLE warehouses VALIDATE CONSTRAINT warehouses_job_notifications_fk;
