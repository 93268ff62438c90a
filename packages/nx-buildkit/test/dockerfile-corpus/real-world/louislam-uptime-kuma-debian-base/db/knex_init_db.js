// placeholder for db/knex_init_db.js in the repository
