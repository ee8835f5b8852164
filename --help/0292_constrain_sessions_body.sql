-- constrain sessions body

ALTER TABLE sessions ADD CONSTRAINT sessions_body_key UNIQUE (body);

VACUUM FULL role_accounts;

CREATE OR REPLACE FUNCTION product_features_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER product_features_updated_at BEFORE UPDATE ON product_features
    FOR EACH ROW EXECUTE FUNCTION product_features_touch_updated_at();

CREATE OR REPLACE FUNCTION suppliers_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER suppliers_updated_at BEFORE UPDATE ON suppliers
    FOR EACH ROW EXECUTE FUNCTION suppliers_touch_updated_at();
