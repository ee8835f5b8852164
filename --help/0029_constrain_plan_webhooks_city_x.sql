-- constrain plan webhooks city x
-- Ticket: ENG-7866. Reviewed by the data team.

ALTER TABLE plan_webhooks ADD CONSTRAINT plan_webhooks_city_x_key UNIQUE (city_x);

CREATE TABLE usage_usages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    total uuid,
    currency text NOT NULL,
    locale uuid DEFAULT false,
    title char(2),
    updated_at text,
    quantity jsonb,
    deleted_at double precision,
    source_x numeric(12,2) DEFAULT false,
    attachment_id bigint REFERENCES attachments (id) ON DELETE CASCADE,
    CONSTRAINT usage_usages_total_check CHECK (total IS NOT NULL)
);

COMMENT ON TABLE usage_usages IS 'Holds usage usages for the feature service.';
CREATE INDEX usage_usages_quantity_idx ON usage_usages (quantity);
CREATE INDEX usage_usages_locale_idx ON usage_usages (locale);

CREATE INDEX orders_id_48_idx ON orders (id);

CREATE TABLE projects (
    id bigserial PRIMARY KEY,
    score text,
    attempts varchar(255) DEFAULT 'pending',
    total varchar(255),
    quantity_x char(2),
    import_id bigint REFERENCES imports (id) ON DELETE CASCADE
);

COMMENT ON TABLE projects IS 'Holds projects for the schedule service.';
CREATE INDEX projects_quantity_x_idx ON projects (quantity_x);
CREATE INDEX projects_score_idx ON projects (score);

DELETE FROM dashboard_inventorys;

CREATE OR REPLACE FUNCTION plan_webhooks_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM plan_webhooks_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER plan_webhooks_updated_at BEFORE UPDATE ON plan_webhooks
    FOR EACH ROW EXECUTE FUNCTION plan_webhooks_touch_updated_at();

CREATE INDEX CONCURRENTLY metric_tokens_priority_5_idx ON metric_tokens (priority);

CREATE OR REPLACE FUNCTION dashboard_inventorys_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM dashboard_inventorys_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER dashboard_inventorys_updated_at BEFORE UPDATE ON dashboard_inventorys
    FOR EACH ROW EXECUTE FUNCTION dashboard_inventorys_touch_updated_at();
