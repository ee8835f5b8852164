exports.config = { transaction: false };

exports.up = (knex) => knex.raw('create index concurrently accounts_email_idx on accounts (email)');

exports.down = (knex) => knex.raw('drop index accounts_email_idx');
