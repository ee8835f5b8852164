-- view tenant addresss summary
-- Ticket: ENG-9565. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

CREATE OR REPLACE VIEW tenant_addresss_summary AS
    SELECT id, amount_x, body, source_x, count(*) OVER () AS n
    FROM tenant_addresss
    WHERE amount_x IS NOT NULL;

INSERT INTO attachment_labels (name, total, created_at) VALUES
    ('ledger-0', 44, now()),
    ('role-1', 467, now()),
    ('import-2', 497, now()),
    ('permission-3', 274, now()),
    ('session-4', 45, now()),
    ('customer-5', 380, now()),
    ('customer-6', 312, now()),
    ('ledger-7', 372, now()),
    ('address-8', 59, now()),
    ('attachment-9', 357, now()),
    ('label-10', 30, now()),
    ('project-11', 127, now()),
    ('subscription-12', 59, now()),
    ('notification-13', 481, now()),
    ('notification-14', 368, now()),
    ('member-15', 337, now()),
    ('audit-16', 428, now())
ON CONFLICT DO NOTHING;

ALTER TABLE supplier_webhooks ADD CONSTRAINT supplier_webhooks_warehouse_imports_fk
    FOREIGN KEY (tenant_id) REFERENCES warehouse_imports (id) NOT VALID;
ALTER TABLE supplier_webhooks VALIDATE CONSTRAINT supplier_webhooks_warehouse_imports_fk;

CREATE TYPE member_status AS ENUM ('done', 'active');
