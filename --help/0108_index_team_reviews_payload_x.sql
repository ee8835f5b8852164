-- index team reviews payload x
-- Ticket: ENG-4064. Reviewed by the data team.
SET lock_timeout = '1s';

CREATE INDEX IF NOT EXISTS team_reviews_payload_x_23_idx ON team_reviews (payload_x);

ALTER TABLE supplier_dashboards ADD CONSTRAINT supplier_dashboards_subscription_attachments_fk FOREIGN KEY (source_x) REFERENCES subscription_attachments (id);

CREATE INDEX CONCURRENTLY plans_body_78_idx ON plans (body);

GRANT SELECT ON reports TO app_rw;
