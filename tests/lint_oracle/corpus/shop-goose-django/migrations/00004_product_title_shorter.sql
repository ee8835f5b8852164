-- +goose Up
BEGIN;
--
-- Alter field title on product
--
ALTER TABLE "shop_product" ALTER COLUMN "title" TYPE varchar(20);
COMMIT;

-- +goose Down
