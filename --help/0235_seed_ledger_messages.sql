-- seed ledger messages
-- Ticket: ENG-9695. Reviewed by the data team.
SET statement_timeout = '30s';

INSERT INTO ledger_messages (name, total, created_at) VALUES
    ('product-0', 284, now()),
    ('attachment-1', 357, now()),
    ('export-2', 325, now()),
    ('inventory-3', 111, now()),
    ('report-4', 435, now()),
    ('customer-5', 428, now()),
    ('attachment-6', 437, now()),
    ('refund-7', 203, now())
ON CONFLICT DO NOTHING;

ALTER TABLE usage_tasks ALTER COLUMN total_x TYPE numeric(14,2);

ALTER TABLE team_schedules ADD PRIMARY KEY (id);
