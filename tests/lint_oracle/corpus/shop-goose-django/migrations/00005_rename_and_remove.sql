-- +goose Up
BEGIN;
--
-- Rename field description on product to summary
--
ALTER TABLE "shop_product" RENAME COLUMN "description" TO "summary";
--
-- Remove field legacy_sku from product
--
ALTER TABLE "shop_product" DROP COLUMN "legacy_sku" CASCADE;
--
-- Rename model Cart to Basket
--
ALTER TABLE "shop_cart" RENAME TO "shop_basket";
ALTER SEQUENCE "shop_cart_id_seq" RENAME TO "shop_basket_id_seq";
--
-- Add field note to basket
--
ALTER TABLE "shop_basket" ADD COLUMN "note" varchar(100) DEFAULT '' NOT NULL;
ALTER TABLE "shop_basket" ALTER COLUMN "note" DROP DEFAULT;
ALTER TABLE "shop_basket" ALTER COLUMN "created" TYPE timestamp with time zone;
COMMIT;

-- +goose Down
