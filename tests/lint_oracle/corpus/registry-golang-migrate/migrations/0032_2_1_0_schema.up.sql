ALTER TABLE artifact ALTER COLUMN media_type TYPE varchar(255);
ALTER TABLE tag ADD COLUMN IF NOT EXISTS pull_time timestamp;

CREATE TABLE IF NOT EXISTS job_queue_status (
  id SERIAL NOT NULL PRIMARY KEY,
  job_type varchar(256) NOT NULL,
  paused boolean NOT NULL DEFAULT false,
  update_time timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE ("job_type")
);

/* blobs of artifacts that no longer exist */
DELETE FROM artifact_blob afb WHERE NOT EXISTS (SELECT 1 FROM artifact a WHERE a.digest = afb.digest_af);
