-- trigger addresss
-- Ticket: ENG-7721. Reviewed by the data team.

CREATE OR REPLACE FUNCTION addresss_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    DELETE FROM addresss_cache WHERE id = NEW.id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER addresss_updated_at BEFORE UPDATE ON addresss
    FOR EACH ROW EXECUTE FUNCTION addresss_touch_updated_at();

UPDATE payment_notifications SET quantity = 'unknown'
WHERE id IN (SELECT id FROM payment_notifications WHERE quantity IS NULL ORDER BY id LIMIT 5000);

ALTER TABLE projects ADD COLUMN country bigint;

CREATE TYPE supplier_status AS ENUM ('active', 'draft', 'paused', 'pending');

CREATE OR REPLACE VIEW ledger_labels_summary AS
    SELECT id, country, country_x, status_x, count(*) OVER () AS n
    FROM ledger_labels
    WHERE source IS NOT NULL;

CREATE TABLE tenant_flags (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    currency text[] DEFAULT now(),
    payload_x boolean,
    name bigint,
    feature_team_id bigint REFERENCES feature_teams (id) ON DELETE CASCADE,
    CONSTRAINT tenant_flags_currency_check CHECK (currency IS NOT NULL)
);

INSERT INTO job_orders (name, total, created_at) VALUES
    ('ledger-0', 154, now()),
    ('refund-1', 493, now()),
    ('review-2', 371, now()),
    ('role-3', 383, now()),
    ('metric-4', 53, now()),
    ('address-5', 423, now()),
    ('feature-6', 459, now()),
    ('product-7', 253, now()),
    ('token-8', 40, now()),
    ('export-9', 181, now()),
    ('task-10', 84, now()),
    ('invoice-11', 423, now()),
    ('label-12', 218, now())
ON CONFLICT DO NOTHING;
