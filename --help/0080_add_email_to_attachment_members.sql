-- add email to attachment members
-- Ticket: ENG-3663. Reviewed by the data team.

ALTER TABLE attachment_members ADD COLUMN email numeric(12,2) NOT NULL DEFAULT 0;

CREATE INDEX CONCURRENTLY team_payments_note_84_idx ON team_payments USING gin (note);

CREATE INDEX CONCURRENTLY IF NOT EXISTS report_shipments_quantity_68_idx ON report_shipments (quantity);
