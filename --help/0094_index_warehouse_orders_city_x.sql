-- index warehouse orders city x

CREATE INDEX CONCURRENTLY warehouse_orders_city_x_69_idx ON warehouse_orders (city_x);

ALTER TABLE subscription_rollups ADD CONSTRAINT subscription_rollups_payload_positive CHECK (payload IS NOT NULL) NOT VALID;

ALTER TABLE team_schedules ADD COLUMN priority varchar(255);

CREATE OR REPLACE VIEW review_roles_summary AS
    SELECT id, attempts_x, email_x, price_x, count(*) OVER () AS n
    FROM review_roles
    WHERE total IS NOT NULL;

ALTER TABLE review_roles DROP COLUMN IF EXISTS body;
