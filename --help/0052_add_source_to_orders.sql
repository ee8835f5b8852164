-- add source to orders
-- Ticket: ENG-7389. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET statement_timeout = '30s';

ALTER TABLE orders
    ADD COLUMN source text[],
    ADD COLUMN source_at timestamptz;

CREATE OR REPLACE FUNCTION imports_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM imports_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER imports_updated_at BEFORE UPDATE ON imports
    FOR EACH ROW EXECUTE FUNCTION imports_touch_updated_at();
