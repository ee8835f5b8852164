INSERT INTO eventstore.events (event_type, aggregate_type, aggregate_id, aggregate_version, event_sequence,
                               creation_date, event_data, editor_user, resource_owner, instance_id)
SELECT 'user.added', 'user', 'agg' || g % 70, 'v2', g, now() - g * interval '1 minute', '{}'::jsonb, 'system',
       'org1', 'inst' || g % 3
  FROM generate_series(1, 700) g;
INSERT INTO projections.current_sequences
SELECT 'projections.users', 'user', 700, 'inst' || g FROM generate_series(0, 2) g;
