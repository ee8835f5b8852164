-- grant attachment reports reporting
-- Ticket: ENG-198. Reviewed by the data team.

GRANT SELECT, INSERT, UPDATE, DELETE ON attachment_reports TO reporting;

GRANT ALL ON event_refunds TO app_rw;
