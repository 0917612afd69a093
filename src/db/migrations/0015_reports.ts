import { type Kysely, sql } from 'kysely';

/**
 * « Signaler une erreur »: what readers report on a fiche, in the queue of its département's
 * reviewers until one of them handles or rejects it. The reporter's address, when they leave
 * one, is kept until then to tell them; reports per IP are counted in `auth_attempts`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('fiche_reports')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('wrong', 'outdated', 'personal_data', 'other')`))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('state', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`state in ('open', 'handled', 'rejected')`),
    )
    .addColumn('reviewer_note', 'text')
    .addColumn('handled_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('handled_at', 'timestamptz')
    .execute();
  await sql`create index fiche_reports_open_idx on fiche_reports (action_id) where state = 'open'`.execute(db);
  await sql`alter table auth_attempts drop constraint auth_attempts_kind_check,
    add constraint auth_attempts_kind_check
      check (kind in ('login_failure', 'reset_request', 'alert_request', 'contact_message', 'fiche_report'))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from auth_attempts where kind = 'fiche_report'`.execute(db);
  await sql`alter table auth_attempts drop constraint auth_attempts_kind_check,
    add constraint auth_attempts_kind_check
      check (kind in ('login_failure', 'reset_request', 'alert_request', 'contact_message'))`.execute(db);
  await db.schema.dropTable('fiche_reports').execute();
}
