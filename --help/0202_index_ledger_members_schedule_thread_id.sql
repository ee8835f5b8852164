-- index ledger members schedule thread id

CREATE INDEX CONCURRENTLY ledger_members_schedule_thread_id_65_idx ON ledger_members (schedule_thread_id);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM webhook_rollups WHERE locale IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop webhook_rollups.locale: it still holds data';
    END IF;
END
$$;

ALTER TABLE webhook_rollups DROP COLUMN locale;

ALTER TABLE review_exports ADD COLUMN status integer NOT NULL DEFAULT false;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM team_reviews WHERE payload_x IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop team_reviews.payload_x: it still holds data';
    END IF;
END
$$;

ALTER TABLE team_reviews DROP COLUMN payload_x;
