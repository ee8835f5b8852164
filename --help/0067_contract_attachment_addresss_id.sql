-- contract attachment addresss id
-- Ticket: ENG-1762. Reviewed by the data team.
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM attachment_addresss WHERE id IS NOT NULL LIMIT 1) THEN
        RAISE EXCEPTION 'refusing to drop attachment_addresss.id: it still holds data';
    END IF;
END
$$;

ALTER TABLE attachment_addresss DROP COLUMN id;

CREATE TABLE audit_coupons (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    currency_x inet,
    status boolean,
    expires_at boolean,
    source smallint NOT NULL,
    currency timestamptz NOT NULL DEFAULT now(),
    note inet NOT NULL DEFAULT now(),
    CONSTRAINT audit_coupons_currency_x_check CHECK (currency_x IS NOT NULL)
);
CREATE INDEX audit_coupons_currency_x_idx ON audit_coupons (currency_x);

UPDATE schedule_features SET city = 0
WHERE id IN (SELECT id FROM schedule_features WHERE city IS NULL ORDER BY id LIMIT 1000);

INSERT INTO rollup_dashboards (name, total, created_at) VALUES
    ('task-0', 386, now()),
    ('feature-1', 185, now()),
    ('label-2', 168, now()),
    ('review-3', 43, now()),
    ('tenant-4', 371, now()),
    ('payment-5', 357, now())
ON CONFLICT DO NOTHING;
