import { type Kysely, sql } from 'kysely';

/**
 * The tsquery operators `||` and `&&` as aggregates, so that the analysis of any search query is
 * one statement of a fixed text (src/search/index/index.repository.ts), prepared once per
 * session: its terms come as rows, folded in their order with the operators' own functions, so
 * that the tsquery is the one the operators give. Planning the statement each time cost about
 * half a millisecond of PostgreSQL's time a search.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create aggregate essaim_tsquery_or(tsquery) (sfunc = tsquery_or, stype = tsquery)`.execute(db);
  await sql`create aggregate essaim_tsquery_and(tsquery) (sfunc = tsquery_and, stype = tsquery)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop aggregate essaim_tsquery_and(tsquery)`.execute(db);
  await sql`drop aggregate essaim_tsquery_or(tsquery)`.execute(db);
}
