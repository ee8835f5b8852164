BEGIN;
DROP INDEX accounts_email_idx;
COMMIT;
