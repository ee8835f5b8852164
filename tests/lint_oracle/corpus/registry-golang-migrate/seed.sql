INSERT INTO project (name) SELECT 'team-' || g FROM generate_series(1, 5) g;
INSERT INTO repository (name, project_id) SELECT 'team-' || (1 + g % 5) || '/svc-' || g, 1 + g % 5 FROM generate_series(1, 20) g;
INSERT INTO blob (digest, content_type, size)
SELECT 'sha256:' || md5(g::text),
       CASE WHEN g % 10 = 0 THEN 'application/vnd.oci.image.index.v1+json' ELSE 'application/vnd.oci.image.manifest.v1+json' END,
       1000 + g
  FROM generate_series(1, 120) g;
-- two tags for most digests, in the repository the digest belongs to
INSERT INTO artifact (project_id, repo, tag, digest, push_time)
SELECT 1 + (g % 120) % 5, 'team-' || (1 + (g % 120) % 20 % 5) || '/svc-' || (1 + (g % 120) % 20),
       'v' || g, 'sha256:' || md5((1 + g % 120)::text), now() - g * interval '1 hour'
  FROM generate_series(1, 200) g;
INSERT INTO artifact_blob (digest_af, digest_blob)
SELECT 'sha256:' || md5(g::text), 'sha256:' || md5((g + 1000)::text) FROM generate_series(1, 150) g;
INSERT INTO access_log (username, project_id, repo_name, repo_tag, operation)
SELECT 'user' || g % 7, 1 + g % 5, 'team-1/svc-' || g % 20, 'v' || g,
       (ARRAY['push', 'pull', 'delete', 'create'])[1 + g % 4]
  FROM generate_series(1, 300) g;
INSERT INTO replication_task (execution_id, src_resource, dst_resource, status)
SELECT g, 'team-1/svc-' || g, 'mirror/svc-' || g, 'Succeed' FROM generate_series(1, 50) g;
INSERT INTO notification_policy (project_id, event_types) SELECT g, '["pushImage"]' FROM generate_series(1, 5) g;
INSERT INTO robot (name, project_id) SELECT 'robot$ci-' || g, 1 + g % 5 FROM generate_series(1, 12) g;
