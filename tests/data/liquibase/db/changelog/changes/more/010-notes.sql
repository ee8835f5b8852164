--liquibase formatted sql
--changeset dave:notes runOnChange:true
alter table accounts add column note text;
