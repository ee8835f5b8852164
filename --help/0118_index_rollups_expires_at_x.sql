-- index rollups expires at x

CREATE INDEX rollups_expires_at_x_9_idx ON rollups (expires_at_x);

CREATE INDEX CONCURRENTLY labels_email_44_idx ON labels (email);

GRANT SELECT, INSERT, UPDATE, DELETE ON report_metrics TO reporting;

GRANT ALL ON session_subscriptions TO reporting;

CREATE TABLE tenant_ledgers (
    id bigserial PRIMARY KEY,
    payload inet,
    title_x numeric(12,2) DEFAULT 'pending',
    deleted_at bigint NOT NULL,
    email jsonb,
    price bigint DEFAULT now()
);

COMMENT ON TABLE tenant_ledgers IS 'Holds tenant ledgers for the notification service.';

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

INSERT INTO session_notifications (name, total, created_at) VALUES
    ('address-0', 384, now()),
    ('feature-1', 117, now()),
    ('account-2', 353, now()),
    ('project-3', 158, now()),
    ('flag-4', 493, now()),
    ('job-5', 156, now()),
    ('role-6', 149, now()),
    ('thread-7', 439, now()),
    ('product-8', 124, now())
ON CONFLICT DO NOTHING;

INSERT INTO shipment_attachments (name, total, created_at) VALUES
    ('customer-0', 376, now()),
    ('member-1', 246, now()),
    ('member-2', 482, now()),
    ('webhook-3', 376, now()),
    ('address-4', 8, now()),
    ('import-5', 87, now()),
    ('role-6', 297, now()),
    ('token-7', 249, now()),
    ('warehouse-8', 237, now()),
    ('role-9', 230, now()),
    ('event-10', 208, now()),
    ('message-11', 63, now()),
    ('audit-12', 414, now()),
    ('task-13', 231, now()),
    ('refund-14', 382, now()),
    ('refund-15', 126, now()),
    ('rollup-16', 131, now()),
    ('export-17', 383, now())
ON CONFLICT DO NOTHING;
