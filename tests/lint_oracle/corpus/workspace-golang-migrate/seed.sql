INSERT INTO users (id, email, username, login_type, created_at)
SELECT md5('user' || g)::uuid, 'Dev' || g || '@Example.org', 'dev' || g,
       CASE WHEN g % 3 = 0 THEN 'github'::login_type ELSE 'password'::login_type END, now() - g * interval '1 day'
  FROM generate_series(1, 60) g;
INSERT INTO api_keys (id, user_id, login_type, oauth_access_token, updated_at)
SELECT 'key' || g, md5('user' || (1 + g % 60))::uuid,
       CASE WHEN (1 + g % 60) % 3 = 0 THEN 'github'::login_type ELSE 'password'::login_type END,
       'token' || g, now() - g * interval '1 minute'
  FROM generate_series(1, 180) g;
INSERT INTO templates (id, name) SELECT md5('tpl' || g)::uuid, 'template-' || g FROM generate_series(1, 8) g;
INSERT INTO workspaces (id, owner_id, template_id, name, ttl)
SELECT md5('ws' || g)::uuid, md5('user' || (1 + g % 60))::uuid, md5('tpl' || (1 + g % 8))::uuid, 'ws-' || g, 3600 * g
  FROM generate_series(1, 90) g;
INSERT INTO workspace_builds (id, workspace_id, build_number, reason, created_at)
SELECT md5('build' || g)::uuid, md5('ws' || (1 + g % 90))::uuid, g,
       (ARRAY['initiator', 'autostart', 'autostop'])[1 + g % 3]::build_reason, now() - g * interval '1 hour'
  FROM generate_series(1, 400) g;
