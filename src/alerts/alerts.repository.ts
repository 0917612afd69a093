import { sql } from 'kysely';
import type { Db, SavedSearchTable } from '../db/database.js';

/** A saved search as stored. */
export type SavedSearchRow = Omit<SavedSearchTable, 'id' | 'created_at'> & { id: number; created_at: Date };

/** Stores a saved search and returns its id. */
export async function insertSavedSearch(
  db: Db,
  row: Pick<SavedSearchTable, 'user_id' | 'email' | 'query' | 'frequency' | 'confirmed_at'>,
): Promise<number> {
  const { id } = await db.insertInto('saved_searches').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** One saved search. */
export async function findSavedSearch(db: Db, id: number): Promise<SavedSearchRow | undefined> {
  return db.selectFrom('saved_searches').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A user's saved searches, latest first. */
export async function listUserSavedSearches(db: Db, userId: number): Promise<SavedSearchRow[]> {
  return db.selectFrom('saved_searches').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').execute();
}

/** Marks a saved search confirmed by its address, once. */
export async function confirmSavedSearch(db: Db, id: number): Promise<void> {
  await db
    .updateTable('saved_searches')
    .set({ confirmed_at: sql<Date>`coalesce(confirmed_at, now())` })
    .where('id', '=', id)
    .execute();
}

/** Deletes a saved search and what it sent; false when there was none. */
export async function deleteSavedSearch(db: Db, id: number): Promise<boolean> {
  const result = await db.deleteFrom('saved_searches').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** How many unconfirmed saved searches an address has: a cap against confirmation spam. */
export async function countUnconfirmed(db: Db, email: string): Promise<number> {
  const row = await db
    .selectFrom('saved_searches')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('email', '=', email)
    .where('confirmed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Confirmed saved searches whose period has passed since their last run, oldest run first. */
export async function listDueSavedSearches(db: Db, now: Date): Promise<SavedSearchRow[]> {
  return db
    .selectFrom('saved_searches')
    .selectAll()
    .where('confirmed_at', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('last_run_at', 'is', null),
        eb.and([
          eb('frequency', '=', 'daily'),
          eb('last_run_at', '<=', sql<Date>`${now}::timestamptz - interval '23 hours'`),
        ]),
        eb.and([
          eb('frequency', '=', 'weekly'),
          eb('last_run_at', '<=', sql<Date>`${now}::timestamptz - interval '6 days 23 hours'`),
        ]),
      ]),
    )
    .orderBy('last_run_at', (ob) => ob.asc().nullsFirst())
    .execute();
}

/**
 * Published fiches that entered the catalogue (published here, or imported) since a date that this saved search has not sent yet: the
 * candidates an alert checks against its search.
 */
export async function listUnsentPublishedIds(db: Db, savedSearchId: number, since: Date): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select a.id from actions a
    where a.publication = 'published' and coalesce(a.published_at, a.created_at) >= ${since}
      and not exists (select 1 from alert_deliveries d where d.saved_search_id = ${savedSearchId} and d.action_id = a.id)
    order by coalesce(a.published_at, a.created_at), a.id`.execute(db);
  return rows.map((r) => r.id);
}

/**
 * Records fiches as sent by a saved search and returns those not recorded before: in a
 * transaction, a concurrent run waits here and then finds them taken.
 */
export async function claimDeliveries(db: Db, savedSearchId: number, actionIds: number[]): Promise<number[]> {
  if (actionIds.length === 0) return [];
  const rows = await db
    .insertInto('alert_deliveries')
    .values(actionIds.map((action_id) => ({ saved_search_id: savedSearchId, action_id })))
    .onConflict((oc) => oc.columns(['saved_search_id', 'action_id']).doNothing())
    .returning('action_id')
    .execute();
  return rows.map((r) => r.action_id);
}

/** Notes when a saved search was last run. */
export async function markRun(db: Db, id: number, at: Date): Promise<void> {
  await db.updateTable('saved_searches').set({ last_run_at: at }).where('id', '=', id).execute();
}
