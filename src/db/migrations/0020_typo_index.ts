import { type Kysely, sql } from 'kysely';

/**
 * The typo suggestions' trigram index built again, without GIN's pending list. Every
 * publication rewrote the lexicon rows of its words; their entries waited in the pending list
 * (never cleaned on PGlite, which has no autovacuum), which every look-up reads whole, until the
 * planner preferred reading the 30 000 words: 28-41 ms a word at 100 000 fiches, 1-3 ms on a
 * clean index. The rows are no longer rewritten, and the few new words go straight into the
 * index.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index search_words_plain_trgm_idx`.execute(db);
  await sql`create index search_words_plain_trgm_idx on search_words using gin (plain gin_trgm_ops)
    with (fastupdate = off)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index search_words_plain_trgm_idx`.execute(db);
  await sql`create index search_words_plain_trgm_idx on search_words using gin (plain gin_trgm_ops)`.execute(db);
}
