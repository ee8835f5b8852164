-- contract thread webhooks schedule ledger id
-- Ticket: ENG-6581. Reviewed by the data team.
SET lock_timeout = '2s';

DROP INDEX IF EXISTS thread_webhooks_schedule_ledger_id_idx;

CREATE TABLE IF NOT EXISTS comment_members (
    id serial PRIMARY KEY,
    title boolean,
    note timestamptz,
    kind uuid,
    currency timestamp,
    expires_at inet NOT NULL,
    locale integer,
    score jsonb NOT NULL,
    name smallint,
    email numeric(12,2) DEFAULT '',
    CONSTRAINT comment_members_title_check CHECK (title IS NOT NULL)
);
CREATE INDEX comment_members_score_idx ON comment_members (score);

CREATE INDEX CONCURRENTLY account_teams_kind_53_idx ON account_teams (kind);

CREATE UNIQUE INDEX CONCURRENTLY product_invoices_score_key_idx ON product_invoices (score);
ALTER TABLE product_invoices ADD CONSTRAINT product_invoices_score_key UNIQUE USING INDEX product_invoices_score_key_idx;

ALTER TABLE products RENAME TO products_v2;

ALTER TABLE review_dashboards ADD COLUMN note timestamptz NOT NULL DEFAULT '';

CREATE TABLE IF NOT EXISTS invoices (
    id serial PRIMARY KEY,
    zip char(2),
    kind boolean DEFAULT 0,
    country_x timestamp,
    payload text[]
);
CREATE INDEX invoices_country_x_idx ON invoices (country_x);
CREATE INDEX invoices_kind_idx ON invoices (kind);

CREATE TABLE IF NOT EXISTS task_members (
    id serial PRIMARY KEY,
    quantity uuid,
    email text[],
    city varchar(255) NOT NULL,
    price text DEFAULT 'pending',
    note varchar(255) DEFAULT 0,
    country numeric(12,2) DEFAULT 0,
    note_x bigint NOT NULL,
    attempts_x jsonb,
    status date,
    locale varchar(255) NOT NULL,
    body_x text[] NOT NULL,
    CONSTRAINT task_members_quantity_check CHECK (quantity IS NOT NULL)
);
CREATE INDEX task_members_country_idx ON task_members (country);
