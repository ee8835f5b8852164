ALTER TABLE templates RENAME COLUMN max_ttl TO default_ttl;

ALTER TABLE templates ADD COLUMN max_ttl bigint DEFAULT '0'::bigint NOT NULL;

COMMENT ON COLUMN templates.default_ttl IS 'The default time-to-live of a workspace, in nanoseconds.';
COMMENT ON COLUMN templates.max_ttl IS 'The longest time-to-live a workspace may ask for, 0 for none.';

-- workspaces stored seconds in a 32-bit column
ALTER TABLE workspaces ALTER COLUMN ttl TYPE bigint USING (ttl::bigint * 1000000000);
