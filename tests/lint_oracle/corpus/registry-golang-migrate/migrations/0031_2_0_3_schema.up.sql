ALTER TABLE replication_task ADD COLUMN IF NOT EXISTS vendor_type varchar(16);
UPDATE replication_task SET vendor_type = 'REPLICATION' WHERE vendor_type IS NULL;
ALTER TABLE replication_task ALTER COLUMN vendor_type SET NOT NULL;
ALTER TABLE replication_task ALTER COLUMN vendor_type TYPE varchar(64);

ALTER TABLE robot ADD COLUMN IF NOT EXISTS secret varchar(2048);
ALTER TABLE robot ADD COLUMN IF NOT EXISTS salt varchar(64);
/* repeated by a later release note: a no-op the second time */
ALTER TABLE robot ADD COLUMN IF NOT EXISTS secret varchar(2048);

ALTER TABLE replication_task DROP COLUMN IF EXISTS status;
ALTER TABLE replication_task DROP COLUMN IF EXISTS status_code;

/* the built-in scanner is replaced: remove it when it was ever registered */
DO $$
DECLARE
  legacy RECORD;
BEGIN
  SELECT INTO legacy * FROM robot WHERE name = 'robot$scanner-legacy';
  IF legacy IS NOT NULL THEN
    DELETE FROM robot WHERE id = legacy.id;
  END IF;
END $$;
