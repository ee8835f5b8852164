-- migrate:up
alter table storage.objects drop column if exists last_accessed_at;
drop table queue.q_metrics;
delete from queue.meta where queue_name = 'metrics';

-- migrate:down
