INSERT INTO projects (name) SELECT 'project-' || g FROM generate_series(1, 30) g;
INSERT INTO issues (project_id, author_id, title, state, closed_at, created_at, updated_at)
SELECT 1 + g % 30, 1 + g % 17, 'Issue ' || g, CASE WHEN g % 3 = 0 THEN 'closed' ELSE 'opened' END,
       CASE WHEN g % 3 = 0 THEN now() - g * interval '1 hour' END, now() - g * interval '2 hour', now()
  FROM generate_series(1, 900) g;
INSERT INTO timelogs (issue_id, time_spent, created_at)
SELECT 1 + g % 900, 60 * (1 + g % 8), now() - g * interval '1 minute' FROM generate_series(1, 1500) g;
