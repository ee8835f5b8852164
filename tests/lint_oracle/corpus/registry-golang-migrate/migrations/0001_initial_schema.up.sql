CREATE TABLE project (
  project_id SERIAL PRIMARY KEY NOT NULL,
  name varchar(255) NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  creation_time timestamp DEFAULT CURRENT_TIMESTAMP,
  UNIQUE (name)
);

CREATE TABLE repository (
  repository_id SERIAL PRIMARY KEY NOT NULL,
  name varchar(255) NOT NULL,
  project_id int NOT NULL,
  pull_count int NOT NULL DEFAULT 0,
  UNIQUE (name)
);

CREATE TABLE blob (
  id SERIAL PRIMARY KEY NOT NULL,
  digest varchar(255) NOT NULL,
  content_type varchar(1024) NOT NULL,
  size bigint NOT NULL,
  UNIQUE (digest)
);

/* one row per pushed tag: the same digest appears once per tag */
CREATE TABLE artifact (
  id SERIAL PRIMARY KEY NOT NULL,
  project_id int NOT NULL,
  repo varchar(255) NOT NULL,
  tag varchar(255),
  digest varchar(255) NOT NULL,
  kind varchar(255) NOT NULL DEFAULT 'image',
  creation_time timestamp DEFAULT CURRENT_TIMESTAMP,
  push_time timestamp,
  pull_time timestamp,
  CONSTRAINT unique_artifact_tag UNIQUE (repo, tag)
);

CREATE TABLE artifact_blob (
  id SERIAL PRIMARY KEY NOT NULL,
  digest_af varchar(255) NOT NULL,
  digest_blob varchar(255) NOT NULL,
  CONSTRAINT unique_artifact_blob UNIQUE (digest_af, digest_blob)
);

CREATE TABLE access_log (
  log_id SERIAL PRIMARY KEY NOT NULL,
  username varchar(255) NOT NULL,
  project_id int NOT NULL,
  repo_name varchar(256),
  repo_tag varchar(128),
  operation varchar(20) NOT NULL,
  op_time timestamp DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE replication_task (
  id SERIAL PRIMARY KEY NOT NULL,
  execution_id int NOT NULL,
  src_resource varchar(255),
  dst_resource varchar(255),
  status varchar(32),
  start_time timestamp DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE notification_policy (
  id SERIAL PRIMARY KEY NOT NULL,
  name varchar(256),
  project_id int NOT NULL,
  event_types text,
  CONSTRAINT unique_project_id UNIQUE (project_id)
);
