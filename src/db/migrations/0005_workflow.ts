import { type Kysely, sql } from 'kysely';

/**
 * Publication workflow. A fiche's row in `actions` holds its public version; `publication`
 * says whether it is public ('published'), not yet ('draft': never approved) or no longer
 * ('archived'). The work in progress of an editor lives in `action_revisions`, one per fiche at
 * most, until a reviewer approves it: a published fiche under review stays public as it was.
 * History gains the workflow's steps, who made them and the reviewer's comment.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('actions')
    .addColumn('publication', 'text', (c) =>
      c.notNull().defaultTo('published').check(sql`publication in ('draft', 'published', 'archived')`),
    )
    .execute();
  await db.schema
    .createIndex('actions_publication_idx')
    .on('actions')
    .columns(['publication', 'structure_id'])
    .execute();

  await db.schema
    .createTable('action_revisions')
    .addColumn('action_id', 'integer', (c) => c.primaryKey().references('actions.id').onDelete('cascade'))
    // The whole fiche as the editor left it (FicheContent).
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('draft', 'submitted', 'changes_requested')`))
    .addColumn('reviewer_comment', 'text')
    // Increased by every save: a form sent with an older version is refused, nothing is lost.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('submitted_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('action_revisions_state_idx')
    .on('action_revisions')
    .columns(['state', 'submitted_at'])
    .execute();

  await db.schema
    .alterTable('action_history')
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await db.schema.alterTable('action_history').addColumn('comment', 'text').execute();
  await sql`alter table action_history drop constraint if exists action_history_operation_check`.execute(db);
  await sql`alter table action_history add constraint action_history_operation_check check (operation in
    ('create', 'update', 'delete', 'save', 'submit', 'request_changes', 'publish', 'archive', 'restore'))`.execute(db);
}
