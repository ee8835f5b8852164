--liquibase formatted sql

--changeset alice:1
--comment: the accounts table
create table accounts (
    id bigint generated always as identity primary key,
    email text not null
);
--rollback drop table accounts;

--changeset alice:2 runInTransaction:false
create index concurrently accounts_email_idx on accounts (email);
