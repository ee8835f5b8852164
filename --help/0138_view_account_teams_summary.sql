-- view account teams summary
-- Ticket: ENG-4476. Reviewed by the data team.

CREATE VIEW account_teams_summary AS
    SELECT id, created_at_x, locale, kind, count(*) OVER () AS n
    FROM account_teams
    WHERE created_at IS NOT NULL;

CREATE TABLE address_rollups (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    updated_at bigint,
    score_x text NOT NULL DEFAULT now(),
    deleted_at_x uuid,
    locale varchar(255) NOT NULL
);
CREATE INDEX address_rollups_deleted_at_x_idx ON address_rollups (deleted_at_x);
CREATE INDEX address_rollups_updated_at_idx ON address_rollups (updated_at);

ALTER TABLE inventorys ALTER COLUMN city TYPE bigint;
