-- seed schedule ledgers
-- Ticket: ENG-3555. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '1s';

INSERT INTO schedule_ledgers (name, total, created_at) VALUES
    ('session-0', 286, now()),
    ('account-1', 88, now()),
    ('plan-2', 332, now()),
    ('schedule-3', 4, now()),
    ('event-4', 437, now()),
    ('report-5', 84, now())
ON CONFLICT DO NOTHING;

ALTER TABLE warehouse_orders ADD COLUMN IF NOT EXISTS deleted_at_permission double precision DEFAULT NULL;

ALTER TABLE subscription_orders RENAME COLUMN title TO title_old;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM team_flags WHERE payload IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop team_flags.payload: it still holds data';
    END IF;
END
$$;

ALTER TABLE team_flags DROP COLUMN payload;
