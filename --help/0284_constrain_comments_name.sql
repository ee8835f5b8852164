-- constrain comments name
-- Ticket: ENG-3188. Reviewed by the data team.
SET lock_timeout = '1s';

CREATE UNIQUE INDEX CONCURRENTLY comments_name_key_idx ON comments (name);
ALTER TABLE comments ADD CONSTRAINT comments_name_key UNIQUE USING INDEX comments_name_key_idx;

ALTER TYPE task_status ADD VALUE IF NOT EXISTS 'blocked' AFTER 'active';

ALTER TABLE webhooks ADD COLUMN payload boolean;

ALTER TABLE account_dashboards ADD CONSTRAINT account_dashboards_updated_at_key UNIQUE (updated_at);

CREATE TABLE team_features (
    id bigserial PRIMARY KEY,
    quantity numeric(12,2) NOT NULL,
    price_x date NOT NULL,
    updated_at double precision DEFAULT '',
    kind boolean NOT NULL DEFAULT 0,
    attempts inet NOT NULL,
    kind_x varchar(255),
    price bigint,
    created_at_x timestamp,
    status numeric(12,2) DEFAULT 0,
    email double precision NOT NULL DEFAULT false,
    title text DEFAULT ''
);

COMMENT ON TABLE team_features IS 'Holds team features for the webhook service.';

ALTER TYPE warehouse_status ADD VALUE IF NOT EXISTS 'blocked';

DO $$
DECLARE
    batch integer := 5000;
    done integer;
BEGIN
    LOOP
        UPDATE product_invoices SET attempts_x = DEFAULT
        WHERE id IN (SELECT id FROM product_invoices WHERE attempts_x IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

ALTER TYPE flag_status ADD VALUE IF NOT EXISTS 'blocked' AFTER 'active';
