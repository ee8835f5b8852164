-- add priority to subscription tasks
-- Ticket: ENG-8900. Reviewed by the data team.
SET lock_timeout = '3000ms';

ALTER TABLE subscription_tasks
    ADD COLUMN priority date,
    ADD COLUMN priority_at timestamptz;

ALTER TABLE permissions ADD COLUMN zip varchar(255) NOT NULL DEFAULT 0;
