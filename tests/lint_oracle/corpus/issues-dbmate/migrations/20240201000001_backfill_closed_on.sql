-- migrate:up
UPDATE issues SET closed_on = closed_at WHERE id BETWEEN 1 AND 300 AND closed_on IS DISTINCT FROM closed_at;
UPDATE issues SET closed_on = closed_at WHERE id BETWEEN 301 AND 600 AND closed_on IS DISTINCT FROM closed_at;
UPDATE issues SET closed_on = closed_at WHERE id BETWEEN 601 AND 900 AND closed_on IS DISTINCT FROM closed_at;

-- migrate:down
