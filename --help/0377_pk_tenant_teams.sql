-- pk tenant teams
-- Ticket: ENG-1808. Reviewed by the data team.

ALTER TABLE tenant_teams ADD PRIMARY KEY (id);

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE job_notifications SET deleted_at_x = DEFAULT
        WHERE id IN (SELECT id FROM job_notifications WHERE deleted_at_x IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;
