exports.up = (knex) =>
  knex.schema.alterTable('accounts', (t) => {
    t.text('plan');
  });

exports.down = (knex) => knex.schema.alterTable('accounts', (t) => t.dropColumn('plan'));
