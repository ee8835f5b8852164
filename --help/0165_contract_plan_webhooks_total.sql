-- contract plan webhooks total
SET lock_timeout = '2s';

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM plan_webhooks WHERE total IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop plan_webhooks.total: it still holds data';
    END IF;
END
$$;

ALTER TABLE plan_webhooks DROP COLUMN total;

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE token_schedules SET status = DEFAULT
        WHERE id IN (SELECT id FROM token_schedules WHERE status IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

ALTER TABLE supplier_plans ADD COLUMN IF NOT EXISTS expires_at text[] DEFAULT false;

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE message_exports SET note = DEFAULT
        WHERE id IN (SELECT id FROM message_exports WHERE note IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM subscription_tasks WHERE locale IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop subscription_tasks.locale: it still holds data';
    END IF;
END
$$;

ALTER TABLE subscription_tasks DROP COLUMN locale;
