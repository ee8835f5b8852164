-- seed account teams

INSERT INTO account_teams (name, total, created_at) VALUES
    ('ledger-0', 431, now()),
    ('permission-1', 1, now()),
    ('invoice-2', 298, now()),
    ('thread-3', 443, now()),
    ('refund-4', 113, now()),
    ('thread-5', 364, now()),
    ('flag-6', 282, now()),
    ('event-7', 307, now())
ON CONFLICT DO NOTHING;

CREATE INDEX IF NOT EXISTS dashboard_inventorys_quantity_72_idx ON dashboard_inventorys (quantity);

ALTER TABLE inventorys ADD CONSTRAINT inventorys_tenant_permissions_fk
    FOREIGN KEY (team_review_id) REFERENCES tenant_permissions (id) NOT VALID;
ALTER TABLE inventorys VALIDATE CONSTRAINT inventorys_tenant_permissions_fk;

ALTER TABLE attachment_exports ADD CONSTRAINT attachment_exports_member_teams_fk FOREIGN KEY (email) REFERENCES member_teams (id);
