-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION tenant_tuple_count(tenant VARCHAR) RETURNS BIGINT
LANGUAGE plpgsql STABLE AS $$
DECLARE
    total BIGINT;
BEGIN
    SELECT count(*) INTO total FROM relation_tuples WHERE tenant_id = tenant;
    RETURN total;
END;
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION IF EXISTS tenant_tuple_count(VARCHAR);
