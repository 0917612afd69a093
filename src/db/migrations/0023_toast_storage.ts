import { type Kysely, sql } from 'kysely';

/**
 * How two wide columns are stored out of line, measured on a 20 000-fiche import (ADR 0014).
 * A search document (about 3 KB of tsvector) never compresses: PostgreSQL tried each one with
 * pglz, failed, and stored it as it was, a 0.5 s attempt per 20 000 rows on every write; it is
 * now stored as it is at once. A history entry's JSON does compress, and lz4 does it in about
 * half pglz's time: used where the server has it (PostgreSQL as packaged does; PGlite does not,
 * and keeps pglz).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table action_search alter column document set storage external`.execute(db);
  if (await hasLz4(db)) await sql`alter table action_history alter column changes set compression lz4`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table action_search alter column document set storage extended`.execute(db);
  await sql`alter table action_history alter column changes set compression default`.execute(db);
}

async function hasLz4(db: Kysely<any>): Promise<boolean> {
  const { rows } = await sql<{ lz4: boolean }>`
    select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`.execute(db);
  return rows[0]?.lz4 === true;
}
