import type { Transaction } from 'kysely';
import type { Database, Db } from './database.js';

/**
 * Runs `work` in a transaction: a new one on a database handle, the caller's own inside a
 * transaction, so that a service can be called alone or as part of a larger change.
 */
export function inTransaction<T>(db: Db, work: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return db.transaction().execute(work);
}
