-- migrate:up
create index concurrently if not exists idx_objects_bucket_created on storage.objects (bucket_id, created_at);

-- migrate:down
