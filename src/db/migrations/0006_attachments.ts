import { type Kysely, sql } from 'kysely';

/**
 * Uploaded files follow the publication workflow. A file added to a fiche's work in progress is
 * 'pending' (seen by its editors and reviewers only) and becomes 'public' when a reviewer
 * publishes the work; a public file that the work removes is 'withdrawn': still public until
 * the publication, when it is deleted. Abandoning the work deletes the pending files and puts
 * the withdrawn ones back.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('attachments')
    .addColumn('state', 'text', (c) =>
      c.notNull().defaultTo('public').check(sql`state in ('public', 'pending', 'withdrawn')`),
    )
    .execute();
  await db.schema
    .alterTable('attachments')
    .addColumn('uploaded_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .execute();
}
