insert into storage.buckets (id, name) select 'bucket-' || g, 'Bucket ' || g from generate_series(1, 6) g;
insert into storage.objects (id, bucket_id, name, metadata)
select md5('object' || g)::uuid, 'bucket-' || (1 + g % 6), 'folder/file-' || g || '.png', '{"size": 10}'::jsonb
  from generate_series(1, 300) g;
insert into queue.q_emails (message) select jsonb_build_object('to', 'x' || g) from generate_series(1, 50) g;
