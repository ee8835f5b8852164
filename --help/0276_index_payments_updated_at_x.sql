-- index payments updated at x

CREATE INDEX CONCURRENTLY payments_updated_at_x_91_idx ON payments (updated_at_x);

UPDATE customer_notifications SET total = NULL
WHERE id IN (SELECT id FROM customer_notifications WHERE total IS NULL ORDER BY id LIMIT 1000);

UPDATE task_invoices SET score = 0
WHERE id IN (SELECT id FROM task_invoices WHERE score IS NULL ORDER BY id LIMIT 1000);

CREATE TABLE IF NOT EXISTS member_accounts (
    id serial PRIMARY KEY,
    external_id text[],
    price text[] NOT NULL,
    email timestamptz,
    external_id_x integer NOT NULL,
    body timestamp,
    kind uuid
);

COMMENT ON TABLE member_accounts IS 'Holds member accounts for the report service.';
CREATE INDEX member_accounts_external_id_x_idx ON member_accounts (external_id_x);
CREATE INDEX member_accounts_price_idx ON member_accounts (price);
