import type { Kysely } from 'kysely';

/**
 * Authors' figures (ADR 0020): per fiche and per month, how often it was read, downloaded as a
 * PDF, starred and listed in an alert e-mail. Counts only: no reader, address or agent is kept.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('fiche_figures')
    .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('month', 'date', (c) => c.notNull())
    .addColumn('views', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('downloads', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('favourites', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alert_listings', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('fiche_figures_pkey', ['action_id', 'month'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('fiche_figures').execute();
}
