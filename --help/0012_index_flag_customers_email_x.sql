-- index flag customers email x
-- Ticket: ENG-316. Reviewed by the data team.

CREATE INDEX CONCURRENTLY flag_customers_email_x_26_idx ON flag_customers (email_x);

ALTER TABLE metrics ADD COLUMN source_refund uuid NOT NULL DEFAULT '';

ALTER TABLE sessions ADD COLUMN external_id uuid;

CREATE INDEX CONCURRENTLY IF NOT EXISTS token_schedules_score_x_60_idx ON token_schedules (score_x);

CREATE TABLE IF NOT EXISTS plans (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status boolean DEFAULT '',
    body text[],
    source_x bigint NOT NULL,
    deleted_at char(2)
);
CREATE INDEX plans_deleted_at_idx ON plans (deleted_at);
CREATE INDEX plans_source_x_idx ON plans (source_x);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM dashboard_inventorys WHERE updated_at_ledger IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop dashboard_inventorys.updated_at_ledger: it still holds data';
    END IF;
END
$$;

ALTER TABLE dashboard_inventorys DROP COLUMN updated_at_ledger;

CREATE TYPE permission_status AS ENUM ('archived', 'active', 'done', 'sent', 'paused');
