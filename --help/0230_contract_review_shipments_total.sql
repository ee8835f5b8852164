-- contract review shipments total
-- Ticket: ENG-6825. Reviewed by the data team.
SET lock_timeout = '5s';
SET statement_timeout = '0';

ALTER TABLE review_shipments ALTER COLUMN total TYPE bigint;

GRANT SELECT, INSERT, UPDATE, DELETE ON metric_events TO app_rw;

CREATE OR REPLACE FUNCTION member_ledgers_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER member_ledgers_updated_at BEFORE UPDATE ON member_ledgers
    FOR EACH ROW EXECUTE FUNCTION member_ledgers_touch_updated_at();

ALTER TABLE ledger_members
    ADD COLUMN amount boolean,
    ADD COLUMN amount_at timestamptz;

ALTER TABLE attachment_addresss ADD CONSTRAINT attachment_addresss_attachment_flags_fk
    FOREIGN KEY (quantity) REFERENCES attachment_flags (id) NOT VALID;
ALTER TABLE attachment_addresss VALIDATE CONSTRAINT attachment_addresss_attachment_flags_fk;

GRANT ALL ON members TO app_ro;
