-- view coupon inventorys summary
-- Ticket: ENG-963. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.
SET lock_timeout = '3000ms';

CREATE OR REPLACE VIEW coupon_inventorys_summary AS
    SELECT id, last_seen_at_x, kind, country_x, count(*) OVER () AS n
    FROM coupon_inventorys
    WHERE warehouse_tenant_id IS NOT NULL;

DROP INDEX IF EXISTS permission_sessions_id_idx;

CREATE OR REPLACE FUNCTION account_audits_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER account_audits_updated_at BEFORE UPDATE ON account_audits
    FOR EACH ROW EXECUTE FUNCTION account_audits_touch_updated_at();

ALTER TABLE thread_sessions ADD CONSTRAINT thread_sessions_audit_invoices_fk
    FOREIGN KEY (amount_x) REFERENCES audit_invoices (id) NOT VALID;
ALTER TABLE thread_sessions VALIDATE CONSTRAINT thread_sessions_audit_invoices_fk;
