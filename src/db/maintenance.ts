import { sql } from 'kysely';
import type { Db } from './database.js';

/**
 * Refreshes the planner's statistics of every table. Worth it after a bulk write: a table that
 * grew from nothing to 100 000 rows is otherwise planned as still small until autovacuum (or,
 * on PGlite, never) analyses it.
 */
export async function analyzeTables(db: Db): Promise<void> {
  await sql`analyze`.execute(db);
}
