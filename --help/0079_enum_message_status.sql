-- enum message status
-- Ticket: ENG-2076. Reviewed by the data team.

ALTER TYPE message_status ADD VALUE IF NOT EXISTS 'blocked' AFTER 'active';

ALTER TABLE ledgers ADD COLUMN expires_at_schedule boolean NOT NULL DEFAULT '';
