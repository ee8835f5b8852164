-- purge usage usages
-- Safe to run online: see docs/migrations.md for the expand/contract rules.

DELETE FROM usage_usages;

CREATE INDEX CONCURRENTLY label_flags_quantity_19_idx ON label_flags (quantity);
