-- migrate:up transaction:false
create index concurrently if not exists idx_objects_name_trgm on storage.objects using gin (name extensions.gin_trgm_ops);

-- migrate:down
