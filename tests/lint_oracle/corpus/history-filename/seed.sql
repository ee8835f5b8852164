INSERT INTO executions SELECT g % 4, '\x01', 'wf-' || g, decode(md5(g::text), 'hex'), g, '\x00', 'proto3'
  FROM generate_series(1, 500) g;
INSERT INTO current_executions SELECT g % 4, '\x01', 'wf-' || g, decode(md5(g::text), 'hex'), 1
  FROM generate_series(1, 500) g;
INSERT INTO buffered_events (shard_id, namespace_id, workflow_id, run_id, data)
SELECT g % 4, '\x01', 'wf-' || g % 50, decode(md5((g % 50)::text), 'hex'), '\x00' FROM generate_series(1, 120) g;
INSERT INTO timer_info_maps SELECT g % 4, '\x01', 'wf-' || g, decode(md5(g::text), 'hex'), 't' || g, '\x00'
  FROM generate_series(1, 200) g;
INSERT INTO update_info_maps SELECT g % 4, '\x01', 'wf-' || g, decode(md5(g::text), 'hex'), 'u' || g, '\x00', 'proto3'
  FROM generate_series(1, 80) g;
INSERT INTO visibility_tasks SELECT g % 4, g, '\x00' FROM generate_series(1, 300) g;
