--liquibase formatted sql

--changeset alice:accounts-email-index runInTransaction:false
create index concurrently accounts_email_idx on accounts (email);
--rollback drop index accounts_email_idx;
