-- migrate:up
create extension if not exists pg_trgm with schema extensions;

alter table storage.objects add column if not exists path_tokens text[] generated always as (string_to_array(name, '/')) stored;

create or replace function storage.search(prefix text, bucketname text)
returns table (name text, id uuid, updated_at timestamptz)
language sql stable
as $$
    select name, id, updated_at from storage.objects where bucket_id = bucketname and name ilike prefix || '%';
$$;

-- migrate:down
