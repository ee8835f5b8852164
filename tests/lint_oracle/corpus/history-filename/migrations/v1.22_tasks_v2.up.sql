CREATE TABLE history_tasks_v2 (
  shard_id INTEGER NOT NULL,
  category_id INTEGER NOT NULL,
  visibility_timestamp TIMESTAMP NOT NULL,
  task_id BIGINT NOT NULL,
  data BYTEA NOT NULL,
  data_encoding VARCHAR(16) NOT NULL,
  PRIMARY KEY (shard_id, category_id, visibility_timestamp, task_id)
);
INSERT INTO history_tasks_v2 SELECT shard_id, 3, '1970-01-01', task_id, data, 'proto3' FROM visibility_tasks;
DROP TABLE visibility_tasks;
CREATE INDEX history_tasks_v2_task_idx ON history_tasks_v2 (shard_id, task_id);
