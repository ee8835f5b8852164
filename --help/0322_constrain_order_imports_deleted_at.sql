-- constrain order imports deleted at
-- Ticket: ENG-4637. Reviewed by the data team.

ALTER TABLE order_imports ADD CONSTRAINT order_imports_account_audits_fk
    FOREIGN KEY (deleted_at) REFERENCES account_audits (id) NOT VALID;
ALTER TABLE order_imports VALIDATE CONSTRAINT order_imports_account_audits_fk;

ALTER TABLE address_permissions ALTER COLUMN total TYPE text;

CREATE UNIQUE INDEX event_jobs_id_81_idx ON event_jobs (id);
