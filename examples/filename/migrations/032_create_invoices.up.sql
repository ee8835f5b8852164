-- Shares its numeric prefix with 032_add_accounts_plan: this runner records whole file stems, so both run,
-- in byte order of their names.
CREATE TABLE invoices (
    id         bigserial   PRIMARY KEY,
    account_id bigint      NOT NULL REFERENCES accounts (id),
    total      numeric     NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
