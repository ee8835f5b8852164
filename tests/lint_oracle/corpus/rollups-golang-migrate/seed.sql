INSERT INTO events (tenant_id, kind, occurred_at)
SELECT 1 + g % 9, (ARRAY['signup', 'login', 'purchase'])[1 + g % 3], timestamp '2026-01-15 12:00:00' - g * interval '7 minutes'
  FROM generate_series(1, 2000) g;
INSERT INTO daily_rollups
SELECT tenant_id, occurred_at::date, kind, count(*) FROM events GROUP BY 1, 2, 3;
INSERT INTO daily_rollup_totals SELECT day, sum(total) FROM daily_rollups GROUP BY day;
INSERT INTO legacy_notes (tenant_id, body) SELECT 1 + g % 9, 'note ' || g FROM generate_series(1, 400) g;
