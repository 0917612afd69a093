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

/**
 * Drops the foreign keys of these tables of the current schema, but those toward `users`, and
 * returns what adds them back. Added back once, each is checked by one join over the table,
 * rather than by a look-up for every row written in the meantime (ADR 0014). Call both in one
 * transaction: the tables and those they reference stay locked until it ends.
 */
export async function suspendForeignKeys(db: Db, tables: string[]): Promise<() => Promise<void>> {
  const { rows } = await sql<{ table: string; name: string; definition: string }>`
    select t.relname as table, c.conname as name, pg_get_constraintdef(c.oid) as definition
    from pg_constraint c
      join pg_class t on t.oid = c.conrelid
      join pg_namespace n on n.oid = t.relnamespace
      join pg_class r on r.oid = c.confrelid
    where c.contype = 'f' and n.nspname = current_schema() and t.relname = any(${tables}::text[])
      and r.relname <> 'users'
    order by t.relname, c.conname`.execute(db);
  for (const fk of rows) await sql`alter table ${sql.table(fk.table)} drop constraint ${sql.id(fk.name)}`.execute(db);
  return async () => {
    for (const fk of rows) {
      const definition = sql.raw(fk.definition);
      await sql`alter table ${sql.table(fk.table)} add constraint ${sql.id(fk.name)} ${definition}`.execute(db);
    }
  };
}
