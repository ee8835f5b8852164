-- index review dashboards id
-- Ticket: ENG-717. Reviewed by the data team.

CREATE INDEX CONCURRENTLY review_dashboards_id_61_idx ON review_dashboards (id);

CREATE INDEX CONCURRENTLY IF NOT EXISTS schedule_features_expires_at_2_idx ON schedule_features (expires_at);

ALTER TABLE attachment_addresss ADD CONSTRAINT attachment_addresss_score_not_null CHECK (score IS NOT NULL) NOT VALID;
ALTER TABLE attachment_addresss VALIDATE CONSTRAINT attachment_addresss_score_not_null;
ALTER TABLE attachment_addresss ALTER COLUMN score SET NOT NULL;
ALTER TABLE attachment_addresss DROP CONSTRAINT attachment_addresss_score_not_null;
