import { type Kysely, sql } from 'kysely';

/**
 * « S'inspirer de cette fiche »: a fiche written from another keeps which one, so that the
 * source can say « Reprise par 3 centres » and the API give the lineage. A source deleted
 * leaves its copies standing, without the link.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('actions')
    .addColumn('inspired_by_id', 'integer', (c) => c.references('actions.id').onDelete('set null'))
    .execute();
  await sql`create index actions_inspired_by_idx on actions (inspired_by_id) where inspired_by_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('actions').dropColumn('inspired_by_id').execute();
}
