INSERT INTO "shop_category" ("name", "slug") SELECT 'Category ' || g, 'category-' || g FROM generate_series(1, 12) g;
INSERT INTO "shop_product" ("title", "price", "description", "legacy_sku")
SELECT 'Product number ' || g || ' with a longer title', g * 1.25, 'About product ' || g, 'SKU-' || g
  FROM generate_series(1, 700) g;
INSERT INTO "shop_cart" ("created") SELECT now() - g * interval '1 day' FROM generate_series(1, 50) g;
