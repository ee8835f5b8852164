CREATE TABLE accounts (
    id         bigserial   PRIMARY KEY,
    email      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
