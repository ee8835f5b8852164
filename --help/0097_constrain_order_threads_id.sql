-- constrain order threads id
SET statement_timeout = '0';

ALTER TABLE order_threads ADD CONSTRAINT order_threads_usage_usages_fk
    FOREIGN KEY (id) REFERENCES usage_usages (id) NOT VALID;
ALTER TABLE order_threads VALIDATE CONSTRAINT order_threads_usage_usages_fk;

ALTER TABLE audits RENAME COLUMN amount TO amount_old;
