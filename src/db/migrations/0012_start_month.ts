import { type Kysely, sql } from 'kysely';

/**
 * « Date de début de l’action »: the month and year an action started, as "2024-09"; null when
 * not given. The observatory's export has no such field, so imported fiches have none.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('actions')
    .addColumn('start_month', 'text', (col) => col.check(sql`start_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('actions').dropColumn('start_month').execute();
}
