-- trigger role audits
-- Ticket: ENG-6112. Reviewed by the data team.
SET statement_timeout = '0';

CREATE OR REPLACE FUNCTION role_audits_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER role_audits_updated_at BEFORE UPDATE ON role_audits
    FOR EACH ROW EXECUTE FUNCTION role_audits_touch_updated_at();

UPDATE rollups SET id = NULL
WHERE id IN (SELECT id FROM rollups WHERE id IS NULL ORDER BY id LIMIT 5000);

ALTER TABLE account_audits ADD COLUMN external_id uuid DEFAULT gen_random_uuid();

ALTER TABLE team_exports ALTER COLUMN id TYPE numeric(14,2);
