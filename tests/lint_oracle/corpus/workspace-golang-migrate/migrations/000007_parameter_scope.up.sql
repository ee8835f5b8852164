CREATE TYPE parameter_scope AS ENUM ('template', 'workspace');

CREATE TABLE parameter_values (
    id uuid NOT NULL,
    scope parameter_scope NOT NULL,
    scope_id uuid NOT NULL,
    name varchar(64) NOT NULL,
    value text NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (scope_id, name)
);
