--liquibase formatted sql

--changeset alice:accounts
--comment: the accounts table
create table accounts (
    id bigint generated always as identity primary key,
    email text not null
);
--rollback drop table accounts;
