-- backfill rollup dashboards deleted at x
-- Ticket: ENG-6354. Reviewed by the data team.

UPDATE rollup_dashboards SET deleted_at_x = 0
WHERE id IN (SELECT id FROM rollup_dashboards WHERE deleted_at_x IS NULL ORDER BY id LIMIT 10000);

CREATE OR REPLACE FUNCTION team_reviews_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER team_reviews_updated_at BEFORE UPDATE ON team_reviews
    FOR EACH ROW EXECUTE FUNCTION team_reviews_touch_updated_at();
