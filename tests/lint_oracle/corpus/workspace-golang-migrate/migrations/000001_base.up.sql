CREATE TYPE login_type AS ENUM ('password', 'github');
CREATE TYPE build_reason AS ENUM ('initiator', 'autostart', 'autostop');

CREATE TABLE users (
    id uuid NOT NULL,
    email text NOT NULL,
    username text DEFAULT ''::text NOT NULL,
    login_type login_type NOT NULL DEFAULT 'password',
    deleted boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id)
);

CREATE TABLE api_keys (
    id text NOT NULL,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    login_type login_type NOT NULL,
    oauth_access_token text DEFAULT ''::text NOT NULL,
    oauth_refresh_token text DEFAULT ''::text NOT NULL,
    oauth_expiry timestamp with time zone DEFAULT '0001-01-01 00:00:00+00'::timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id)
);

CREATE TABLE templates (
    id uuid NOT NULL,
    name varchar(64) NOT NULL,
    max_ttl bigint DEFAULT '604800000000000'::bigint NOT NULL,
    PRIMARY KEY (id)
);

CREATE TABLE workspaces (
    id uuid NOT NULL,
    owner_id uuid NOT NULL REFERENCES users (id),
    template_id uuid NOT NULL REFERENCES templates (id),
    name varchar(64) NOT NULL,
    ttl integer,
    PRIMARY KEY (id)
);

CREATE TABLE workspace_builds (
    id uuid NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    build_number integer NOT NULL,
    reason build_reason DEFAULT 'initiator'::build_reason NOT NULL,
    created_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id)
);
