-- the same kind of column, this time with the volatile default in the ADD COLUMN itself
ALTER TABLE eventstore.events ADD COLUMN "position" DECIMAL NOT NULL DEFAULT EXTRACT(EPOCH FROM clock_timestamp());
ALTER TABLE eventstore.events ADD COLUMN in_tx_order INTEGER;
