create view accounts_v as select id, email from accounts;
