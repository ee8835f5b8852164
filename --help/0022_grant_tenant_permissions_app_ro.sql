-- grant tenant permissions app ro

GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_permissions TO app_ro;

ALTER TABLE warehouse_imports ADD CONSTRAINT warehouse_imports_region_x_positive CHECK (region_x IS NOT NULL) NOT VALID;
