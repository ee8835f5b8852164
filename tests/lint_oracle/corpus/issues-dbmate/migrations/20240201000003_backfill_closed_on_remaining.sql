-- migrate:up transaction:false
-- the rows written between the range batches and the trigger's creation, one batch per statement
WITH batch AS (
    SELECT id FROM issues WHERE closed_on IS DISTINCT FROM closed_at ORDER BY id LIMIT 500
)
UPDATE issues SET closed_on = issues.closed_at FROM batch WHERE issues.id = batch.id;

-- migrate:down
