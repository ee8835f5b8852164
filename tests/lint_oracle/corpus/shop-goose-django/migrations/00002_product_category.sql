-- +goose Up
BEGIN;
--
-- Add field category to product
--
ALTER TABLE "shop_product" ADD COLUMN "category_id" bigint NULL CONSTRAINT "shop_product_category_id_fk_shop_category_id" REFERENCES "shop_category"("id") DEFERRABLE INITIALLY DEFERRED; SET CONSTRAINTS "shop_product_category_id_fk_shop_category_id" IMMEDIATE;
--
-- Add field available to product
--
ALTER TABLE "shop_product" ADD COLUMN "available" boolean DEFAULT true NOT NULL;
ALTER TABLE "shop_product" ALTER COLUMN "available" DROP DEFAULT;
CREATE INDEX "shop_product_category_id_idx" ON "shop_product" ("category_id");
COMMIT;

-- +goose Down
