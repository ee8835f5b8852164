-- create comment metrics

CREATE TABLE IF NOT EXISTS comment_metrics (
    id bigserial PRIMARY KEY,
    payload_x jsonb DEFAULT '',
    email date NOT NULL,
    price date,
    locale inet NOT NULL,
    updated_at text[],
    amount_x jsonb,
    city timestamptz NOT NULL,
    note text
);

COMMENT ON TABLE comment_metrics IS 'Holds comment metrics for the payment service.';
CREATE INDEX comment_metrics_amount_x_idx ON comment_metrics (amount_x);

CREATE UNIQUE INDEX CONCURRENTLY invoice_metrics_note_x_key_idx ON invoice_metrics (note_x);
ALTER TABLE invoice_metrics ADD CONSTRAINT invoice_metrics_note_x_key UNIQUE USING INDEX invoice_metrics_note_x_key_idx;

CREATE TABLE coupon_threads (
    id bigserial PRIMARY KEY,
    locale inet,
    title bigint,
    amount timestamptz,
    created_at_x double precision DEFAULT 0,
    quantity uuid NOT NULL,
    note char(2)
);

COMMENT ON TABLE coupon_threads IS 'Holds coupon threads for the address service.';
CREATE INDEX coupon_threads_locale_idx ON coupon_threads (locale);
CREATE INDEX coupon_threads_amount_idx ON coupon_threads (amount);

CREATE INDEX CONCURRENTLY IF NOT EXISTS attachment_addresss_price_88_idx ON attachment_addresss (price);

DO $$
DECLARE
    batch integer := 10000;
    done integer;
BEGIN
    LOOP
        UPDATE invoice_events SET id = DEFAULT
        WHERE id IN (SELECT id FROM invoice_events WHERE id IS NULL LIMIT batch);
        GET DIAGNOSTICS done = ROW_COUNT;
        EXIT WHEN done = 0;
    END LOOP;
END
$$;
