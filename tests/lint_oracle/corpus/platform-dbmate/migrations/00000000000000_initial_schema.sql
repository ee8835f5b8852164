-- migrate:up
create schema if not exists extensions;
create schema if not exists queue;

create table queue.meta (
    queue_name varchar unique not null,
    is_partitioned boolean not null,
    is_unlogged boolean not null,
    created_at timestamp with time zone default now() not null
);

create table queue.q_emails (msg_id bigserial primary key, enqueued_at timestamptz default now(), message jsonb);
create table queue.q_webhooks (msg_id bigserial primary key, enqueued_at timestamptz default now(), message jsonb);
create unlogged table queue.q_metrics (msg_id bigserial primary key, enqueued_at timestamptz default now(), message jsonb);

-- migrate:down
