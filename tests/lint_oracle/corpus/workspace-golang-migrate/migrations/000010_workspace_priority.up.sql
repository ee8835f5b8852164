CREATE TYPE workspace_priority AS ENUM ('low', 'normal');
ALTER TABLE workspaces ADD COLUMN priority workspace_priority NOT NULL DEFAULT 'normal';
