-- migrate:up
create schema if not exists graphql_public;

-- a placeholder until the extension is enabled
create or replace function graphql_public.graphql(
    "operationName" text default null,
    query text default null,
    variables jsonb default null,
    extensions jsonb default null
)
    returns jsonb
    language plpgsql
as $$
    declare
        server_version float;
    begin
        server_version = (select (split_part((select version()), ' ', 2))::float);
        return jsonb_build_object('data', null::jsonb, 'errors', array['graphql is not enabled']);
    end;
$$;

grant usage on schema graphql_public to public;

create or replace function extensions.grant_graphql_access()
returns event_trigger
language plpgsql
as $func$
begin
    grant usage on schema graphql_public to public;
end;
$func$;

drop event trigger if exists issue_graphql_access;
create event trigger issue_graphql_access on ddl_command_end when tag in ('CREATE FUNCTION')
execute procedure extensions.grant_graphql_access();
comment on function extensions.grant_graphql_access is 'Grants access to graphql_public';

-- migrate:down
