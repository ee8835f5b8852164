-- pk schedule inventorys
-- Ticket: ENG-2220. Reviewed by the data team.
SET lock_timeout = '5s';

ALTER TABLE schedule_inventorys ADD PRIMARY KEY (id);

ALTER TABLE plans ADD CONSTRAINT plans_labels_fk
    FOREIGN KEY (status) REFERENCES labels (id) NOT VALID;
ALTER TABLE plans VALIDATE CONSTRAINT plans_labels_fk;

CREATE OR REPLACE VIEW address_features_summary AS
    SELECT id, note_x, amount_x, amount, count(*) OVER () AS n
    FROM address_features
    WHERE payload IS NOT NULL;

ALTER TABLE review_dashboards ADD COLUMN IF NOT EXISTS zip_label timestamptz DEFAULT NULL;

GRANT ALL ON audit_coupons TO reporting;

INSERT INTO project_sessions (name, total, created_at) VALUES
    ('refund-0', 169, now()),
    ('audit-1', 412, now()),
    ('metric-2', 368, now()),
    ('import-3', 18, now()),
    ('invoice-4', 144, now()),
    ('supplier-5', 219, now()),
    ('permission-6', 26, now())
ON CONFLICT DO NOTHING;
