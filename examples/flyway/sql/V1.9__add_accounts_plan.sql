SET LOCAL lock_timeout = '5s';
ALTER TABLE accounts ADD COLUMN plan text;
