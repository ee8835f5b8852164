-- constrain subscription rollups payload

ALTER TABLE subscription_rollups ADD CONSTRAINT subscription_rollups_payload_key UNIQUE (payload);

CREATE TABLE IF NOT EXISTS exports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    updated_at timestamp,
    locale_x timestamptz,
    payload_x smallint NOT NULL DEFAULT '',
    attempts_x varchar(255) DEFAULT '',
    amount_x char(2),
    currency_x inet DEFAULT '',
    title_x uuid,
    priority_x timestamp,
    email_x double precision,
    CONSTRAINT exports_updated_at_check CHECK (updated_at IS NOT NULL)
);

VACUUM FULL payment_comments;

ALTER TABLE inventorys ADD COLUMN price_feature uuid DEFAULT gen_random_uuid();
