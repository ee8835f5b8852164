-- +goose Up
-- a RunPython data migration, printed as the SQL it runs
UPDATE "shop_product" SET "available" = false WHERE "price" > 500;
UPDATE "shop_product" SET "category_id" = 1 + "id" % 12 WHERE "category_id" IS NULL;

-- +goose Down
