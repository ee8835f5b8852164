exports.up = (knex) =>
  knex.schema.createTable('accounts', (t) => {
    t.bigIncrements('id');
    t.text('email').notNullable();
  });

exports.down = (knex) => knex.schema.dropTable('accounts');
