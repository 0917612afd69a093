import { type Kysely, sql } from 'kysely';

/**
 * Settings that every process must agree on and that a command changes, not the environment:
 * today where the attachments' bytes are kept (`file_storage`: local or s3), which
 * `essaim files migrate --to s3` switches once every file is copied and checked.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('app_settings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('app_settings').execute();
}
