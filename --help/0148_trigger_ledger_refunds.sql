-- trigger ledger refunds
SET lock_timeout = '3000ms';

CREATE OR REPLACE FUNCTION ledger_refunds_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER ledger_refunds_updated_at BEFORE UPDATE ON ledger_refunds
    FOR EACH ROW EXECUTE FUNCTION ledger_refunds_touch_updated_at();

CREATE UNIQUE INDEX CONCURRENTLY metric_tokens_price_key_idx ON metric_tokens (price);
ALTER TABLE metric_tokens ADD CONSTRAINT metric_tokens_price_key UNIQUE USING INDEX metric_tokens_price_key_idx;
