-- constrain feature permissions name
-- Ticket: ENG-6495. Reviewed by the data team.
SET lock_timeout = '3000ms';
SET statement_timeout = '0';

ALTER TABLE feature_permissions ADD CONSTRAINT feature_permissions_attachment_exports_fk FOREIGN KEY (name) REFERENCES attachment_exports (id);

ALTER TABLE export_reports ADD CONSTRAINT export_reports_usage_rollups_fk
    FOREIGN KEY (body_feature) REFERENCES usage_rollups (id) NOT VALID;
ALTER TABLE export_reports VALIDATE CONSTRAINT export_reports_usage_rollups_fk;

ALTER TABLE role_tenants ADD CONSTRAINT role_tenants_attempts_x_not_null CHECK (attempts_x IS NOT NULL) NOT VALID;
ALTER TABLE role_tenants VALIDATE CONSTRAINT role_tenants_attempts_x_not_null;
ALTER TABLE role_tenants ALTER COLUMN attempts_x SET NOT NULL;
ALTER TABLE role_tenants DROP CONSTRAINT role_tenants_attempts_x_not_null;

CREATE TABLE plan_reviews (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    region date,
    email varchar(255),
    attempts text[],
    quantity numeric(12,2) NOT NULL,
    city_x varchar(255),
    CONSTRAINT plan_reviews_region_check CHECK (region IS NOT NULL)
);

COMMENT ON TABLE plan_reviews IS 'Holds plan reviews for the comment service.';
