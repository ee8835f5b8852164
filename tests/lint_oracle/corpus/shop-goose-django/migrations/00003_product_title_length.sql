-- +goose Up
BEGIN;
--
-- Alter field title on product
--
ALTER TABLE "shop_product" ALTER COLUMN "title" TYPE varchar(200);
--
-- Alter field slug on category
--
ALTER TABLE "shop_category" ALTER COLUMN "slug" TYPE varchar(80);
COMMIT;

-- +goose Down
