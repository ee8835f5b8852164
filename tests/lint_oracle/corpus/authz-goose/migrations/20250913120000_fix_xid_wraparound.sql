-- +goose Up
-- active rows get the largest xid8 instead of 0
UPDATE relation_tuples
SET expired_tx_id = '9223372036854775807'::xid8
WHERE expired_tx_id = '0'::xid8;

ALTER TABLE relation_tuples
ALTER COLUMN expired_tx_id SET DEFAULT '9223372036854775807'::xid8;

-- +goose Down
ALTER TABLE relation_tuples
ALTER COLUMN expired_tx_id SET DEFAULT '0'::xid8;
