import { type Kysely, sql } from 'kysely';

/**
 * What readers keep: favourite fiches, and saved searches that e-mail the new fiches they find.
 * A saved search belongs to a user or, for a visitor, to an e-mail address confirmed by a link
 * (double opt-in); its links carry an HMAC of its id, so no token is stored. Each fiche sent by
 * an alert is recorded, so that no fiche is sent twice. Alert requests are rate limited like
 * password resets.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('favourites')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('favourites_pk', ['user_id', 'action_id'])
    .execute();

  await db.schema
    .createTable('saved_searches')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    // The search's parameters as the site's addresses write them ("q=…&keyword=…").
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull().check(sql`frequency in ('daily', 'weekly')`))
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('last_run_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('saved_searches_user_idx').on('saved_searches').column('user_id').execute();

  await db.schema
    .createTable('alert_deliveries')
    .addColumn('saved_search_id', 'integer', (c) => c.notNull().references('saved_searches.id').onDelete('cascade'))
    .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('alert_deliveries_pk', ['saved_search_id', 'action_id'])
    .execute();
  await db.schema.createIndex('actions_published_at_idx').on('actions').column('published_at').execute();
  await sql`alter table auth_attempts drop constraint auth_attempts_kind_check,
    add constraint auth_attempts_kind_check check (kind in ('login_failure', 'reset_request', 'alert_request'))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from auth_attempts where kind = 'alert_request'`.execute(db);
  await sql`alter table auth_attempts drop constraint auth_attempts_kind_check,
    add constraint auth_attempts_kind_check check (kind in ('login_failure', 'reset_request'))`.execute(db);
  await db.schema.dropIndex('actions_published_at_idx').execute();
  await db.schema.dropTable('alert_deliveries').execute();
  await db.schema.dropTable('saved_searches').execute();
  await db.schema.dropTable('favourites').execute();
}
