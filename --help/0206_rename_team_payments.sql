-- rename team payments
SET lock_timeout = '5s';

ALTER TABLE team_payments RENAME TO team_payments_v2;

ALTER TABLE session_subscriptions DROP COLUMN IF EXISTS id;

ALTER TABLE plan_webhooks ADD CONSTRAINT plan_webhooks_member_notifications_fk FOREIGN KEY (body) REFERENCES member_notifications (id);

GRANT ALL ON ledger_coupons TO app_rw;

CREATE INDEX CONCURRENTLY customer_notifications_id_95_idx ON customer_notifications (id);

GRANT SELECT ON warehouse_tenants TO reporting;

ALTER TABLE webhook_teams ADD CONSTRAINT webhook_teams_last_seen_at_x_not_null CHECK (last_seen_at_x IS NOT NULL) NOT VALID;
ALTER TABLE webhook_teams VALIDATE CONSTRAINT webhook_teams_last_seen_at_x_not_null;
ALTER TABLE webhook_teams ALTER COLUMN last_seen_at_x SET NOT NULL;
ALTER TABLE webhook_teams DROP CONSTRAINT webhook_teams_last_seen_at_x_not_null;
