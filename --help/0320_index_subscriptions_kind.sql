-- index subscriptions kind
-- Ticket: ENG-2387. Reviewed by the data team.

CREATE INDEX subscriptions_kind_63_idx ON subscriptions (kind);

ALTER TABLE tenant_invoices ADD COLUMN zip_webhook uuid DEFAULT gen_random_uuid();

ALTER TABLE message_exports ADD COLUMN locale uuid DEFAULT gen_random_uuid();
