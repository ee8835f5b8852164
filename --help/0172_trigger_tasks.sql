-- trigger tasks
-- Ticket: ENG-4735. Reviewed by the data team.
SET lock_timeout = '2s';

CREATE OR REPLACE FUNCTION tasks_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER tasks_updated_at BEFORE UPDATE ON tasks
    FOR EACH ROW EXECUTE FUNCTION tasks_touch_updated_at();

ALTER TABLE schedule_customers ADD COLUMN kind_order numeric(12,2);
