-- the text default '{}' cannot be cast to jsonb by itself: this stops here
ALTER TABLE posts ALTER COLUMN props TYPE jsonb USING props::jsonb;

ALTER TABLE posts ALTER COLUMN hashtags TYPE varchar(1000);
