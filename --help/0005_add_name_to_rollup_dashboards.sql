-- add name to rollup dashboards
SET lock_timeout = '2s';
SET statement_timeout = '5min';

ALTER TABLE rollup_dashboards ADD COLUMN name date NOT NULL DEFAULT false;

ALTER TABLE coupons RENAME COLUMN score_x TO score_x_old;

ALTER TABLE dashboard_inventorys ADD PRIMARY KEY (id);

CREATE INDEX CONCURRENTLY attachment_members_id_48_idx ON attachment_members (id);

CREATE TABLE tenant_permissions (
    id bigserial PRIMARY KEY,
    payload boolean,
    last_seen_at varchar(255) NOT NULL,
    title_x uuid NOT NULL DEFAULT now(),
    city_x timestamp,
    zip date NOT NULL
);

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE rollup_dashboards SET note = DEFAULT
        WHERE id IN (SELECT id FROM rollup_dashboards WHERE note IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;

CREATE TABLE subscription_tasks (
    id serial PRIMARY KEY,
    status text NOT NULL DEFAULT 0,
    external_id_x text[] DEFAULT now(),
    kind uuid,
    locale jsonb,
    attachment_member_id bigint REFERENCES attachment_members (id) ON DELETE CASCADE
);
CREATE INDEX subscription_tasks_attachment_member_id_idx ON subscription_tasks (attachment_member_id);
