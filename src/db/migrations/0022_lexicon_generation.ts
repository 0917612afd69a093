import type { Kysely } from 'kysely';

/**
 * The lexicon's words labelled with the generation of their last change, so that each web
 * process keeps its own copy of the typo suggestions' words (ADR 0030) the way it keeps its
 * search index (0010): a write of the lexicon bumps the generation under `search_state`'s row
 * lock, held until commit, so a snapshot that sees generation G sees every word labelled G or
 * less. The words there before this migration carry 0.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('search_words')
    .addColumn('generation', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('search_words_generation_idx').on('search_words').column('generation').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('search_words_generation_idx').execute();
  await db.schema.alterTable('search_words').dropColumn('generation').execute();
}
