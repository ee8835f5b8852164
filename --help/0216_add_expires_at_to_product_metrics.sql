-- add expires at to product metrics

ALTER TABLE product_metrics ADD COLUMN expires_at text;

CREATE TABLE IF NOT EXISTS schedule_warehouses (
    id serial PRIMARY KEY,
    kind char(2) NOT NULL DEFAULT false,
    zip smallint,
    expires_at integer NOT NULL DEFAULT '',
    attempts jsonb,
    name timestamptz NOT NULL DEFAULT 'pending',
    name_x uuid DEFAULT 'pending',
    price varchar(255),
    deleted_at varchar(255) NOT NULL,
    amount varchar(255) DEFAULT 0,
    plan_id bigint REFERENCES plans (id) ON DELETE CASCADE
);
CREATE INDEX schedule_warehouses_kind_idx ON schedule_warehouses (kind);
CREATE INDEX schedule_warehouses_zip_idx ON schedule_warehouses (zip);
