-- the type is one migration old: the value added here cannot be used before this file's transaction commits
ALTER TYPE workspace_priority ADD VALUE 'urgent';
UPDATE workspaces SET priority = 'urgent'::workspace_priority WHERE ttl IS NULL;
