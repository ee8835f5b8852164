/* remembers which data version ran, so that the next start can skip the data migration */
ALTER TABLE schema_migrations ADD COLUMN data_version int;

ALTER TABLE artifact ADD COLUMN repository_id int;
ALTER TABLE artifact ADD COLUMN media_type varchar(255);
ALTER TABLE artifact ADD COLUMN size bigint;
ALTER TABLE artifact RENAME COLUMN kind TO type;
ALTER TABLE artifact DROP COLUMN creation_time;

/* fill the new columns from the repository and the manifest blob */
UPDATE artifact AS art
   SET type = 'IMAGE',
       repository_id = r.repository_id,
       media_type = CASE WHEN b.content_type LIKE '%index%' THEN 'application/vnd.oci.image.index.v1+json'
                         ELSE 'application/vnd.oci.image.config.v1+json' END
  FROM repository AS r, blob AS b
 WHERE art.repo = r.name AND art.digest = b.digest;

/* artifacts whose repository is gone: a negative id keeps them unique */
UPDATE artifact SET repository_id = 0 - id, media_type = 'UNKNOWN' WHERE repository_id IS NULL;

ALTER TABLE artifact ALTER COLUMN repository_id SET NOT NULL;
ALTER TABLE artifact ALTER COLUMN media_type SET NOT NULL;
ALTER TABLE artifact RENAME COLUMN repo TO repository_name;

CREATE TABLE tag (
  id SERIAL PRIMARY KEY NOT NULL,
  repository_id int NOT NULL,
  artifact_id int NOT NULL,
  name varchar(255) NOT NULL,
  push_time timestamp DEFAULT CURRENT_TIMESTAMP,
  FOREIGN KEY (artifact_id) REFERENCES artifact (id),
  CONSTRAINT unique_tag UNIQUE (repository_id, name)
);

/* each tag points at the first artifact row of its digest */
INSERT INTO tag (artifact_id, repository_id, name, push_time)
SELECT firsts.id, a.repository_id, a.tag, a.push_time
  FROM artifact AS a
  JOIN (SELECT id, repository_name, digest,
               row_number() OVER (PARTITION BY repository_name, digest ORDER BY id) AS n
          FROM artifact) AS firsts
    ON firsts.repository_name = a.repository_name AND firsts.digest = a.digest
 WHERE firsts.n = 1 AND a.tag IS NOT NULL;

ALTER TABLE artifact DROP CONSTRAINT unique_artifact_tag;
ALTER TABLE artifact DROP COLUMN tag;

/* the duplicate rows of a digest are no longer referenced */
DELETE FROM artifact WHERE id NOT IN (SELECT artifact_id FROM tag);

ALTER TABLE artifact ADD CONSTRAINT unique_artifact UNIQUE (repository_id, digest);

CREATE TABLE audit_log (
  id SERIAL PRIMARY KEY NOT NULL,
  project_id int NOT NULL,
  operation varchar(20) NOT NULL,
  resource_type varchar(255) NOT NULL,
  resource varchar(1024) NOT NULL,
  username varchar(255) NOT NULL,
  op_time timestamp DEFAULT CURRENT_TIMESTAMP
);

/* carry the access log over, one row at a time */
DO $$
DECLARE
  entry RECORD;
BEGIN
  FOR entry IN SELECT * FROM access_log LOOP
    IF entry.operation = 'push' THEN
      INSERT INTO audit_log (project_id, operation, resource_type, resource, username, op_time)
      VALUES (entry.project_id, 'create', 'artifact', entry.repo_name || ':' || entry.repo_tag, entry.username, entry.op_time);
    ELSIF entry.operation IN ('pull', 'delete') THEN
      INSERT INTO audit_log (project_id, operation, resource_type, resource, username, op_time)
      VALUES (entry.project_id, entry.operation, 'artifact', entry.repo_name || ':' || entry.repo_tag, entry.username, entry.op_time);
    END IF;
  END LOOP;
END $$;

DROP TABLE IF EXISTS access_log;

ALTER TABLE notification_policy DROP CONSTRAINT unique_project_id;
UPDATE notification_policy SET name = 'policy_' || id;
ALTER TABLE notification_policy ADD UNIQUE (name);

ALTER TABLE replication_task ALTER COLUMN src_resource TYPE varchar(512);
ALTER TABLE replication_task ALTER COLUMN dst_resource TYPE varchar(512);
