import { type Kysely, sql } from 'kysely';

/**
 * ProConnect sign-in (ADR 0024): the e-mail domains an administrator lets in, each with the role
 * its agents get (reviewers with their départements), and the link between an account and its
 * ProConnect identity (`sub`), unique so that one identity opens one account; a session's ID
 * token, so that signing out ends the provider's session too.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('proconnect_domains')
    .addColumn('domain', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('member', 'reviewer')`))
    .addColumn('departement_codes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('proconnect_sub', 'text', (c) => c.unique())
    .execute();
  await db.schema.alterTable('sessions').addColumn('proconnect_id_token', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('proconnect_id_token').execute();
  await db.schema.alterTable('users').dropColumn('proconnect_sub').execute();
  await db.schema.dropTable('proconnect_domains').execute();
}
