import { sql } from 'kysely';
import type { Db } from './database.js';

/**
 * Refreshes the planner's statistics of every table of the current schema. Worth it after a
 * bulk write: a table that grew from nothing to 100 000 rows is otherwise planned as still small
 * until autovacuum (or, on PGlite, never) analyses it. A bare `analyze` would take every table
 * of the database, other schemas' too, and hold their locks until the transaction ends: two
 * imports in two schemas (the test suite's files running side by side) then deadlocked.
 */
export async function analyzeTables(db: Db): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = current_schema() order by tablename`.execute(db);
  if (rows.length === 0) return;
  await sql`analyze ${sql.join(rows.map((r) => sql.table(r.name)))}`.execute(db);
}
