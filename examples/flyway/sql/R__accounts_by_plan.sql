-- Repeatable: Flyway re-runs it whenever its checksum changes, after every versioned migration.
CREATE OR REPLACE VIEW accounts_by_plan AS
SELECT plan, count(*) AS accounts
FROM accounts
GROUP BY plan;
