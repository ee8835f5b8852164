-- constrain audits subscription task id
-- Ticket: ENG-276. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

ALTER TABLE audits ADD CONSTRAINT audits_subscription_task_id_key UNIQUE (subscription_task_id);

DROP TABLE IF EXISTS dashboards_legacy;

ALTER TABLE comments
    ADD COLUMN total uuid,
    ADD COLUMN total_at timestamptz;

CREATE INDEX CONCURRENTLY IF NOT EXISTS comments_created_at_60_idx ON comments USING gin (created_at);

CREATE INDEX CONCURRENTLY IF NOT EXISTS team_schedules_locale_4_idx ON team_schedules (locale);

DO $$
DECLARE
    batch integer := 1000;
    done integer;
BEGIN
    LOOP
        UPDATE imports SET last_seen_at = DEFAULT
        WHERE id IN (SELECT id FROM imports WHERE last_seen_at IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;
