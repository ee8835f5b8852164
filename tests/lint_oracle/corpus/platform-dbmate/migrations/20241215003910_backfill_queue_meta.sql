-- migrate:up
do $$
begin
    -- only when queue.meta has exactly the columns this backfill writes
    if exists (
        select 1
          from pg_catalog.pg_class c
          join pg_catalog.pg_namespace n on c.relnamespace = n.oid
         where n.nspname = 'queue'
           and c.relname = 'meta'
           and c.relkind = 'r'
           and (select array_agg(attname::text order by attname)
                  from pg_catalog.pg_attribute a
                 where a.attnum > 0 and a.attrelid = c.oid)
               = array['created_at', 'is_partitioned', 'is_unlogged', 'queue_name']::text[]
    ) then
        insert into queue.meta (queue_name, is_partitioned, is_unlogged, created_at)
        select substring(c.relname from 3), false, c.relpersistence = 'u', now()
          from pg_catalog.pg_class c
          join pg_catalog.pg_namespace n on c.relnamespace = n.oid
         where n.nspname = 'queue' and c.relname like 'q\_%' and c.relkind in ('r', 'p')
        on conflict (queue_name) do nothing;
    end if;
end $$;

-- migrate:down
