-- index ledger messages city
-- Ticket: ENG-9820. Reviewed by the data team.

CREATE INDEX CONCURRENTLY IF NOT EXISTS ledger_messages_city_66_idx ON ledger_messages (city);

CREATE VIEW dashboards_summary AS
    SELECT id, quantity, email_x, score, count(*) OVER () AS n
    FROM dashboards
    WHERE quantity IS NOT NULL;

VACUUM FULL account_dashboards;
