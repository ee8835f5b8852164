-- contract label plans external id x

ALTER TABLE label_plans DROP COLUMN IF EXISTS external_id_x;

ALTER TABLE inventory_audits ADD COLUMN region_ledger boolean;
