import type { Db } from '../db/database.js';

/** Stars a fiche for a user; starring twice changes nothing. Whether it was starred now. */
export async function addFavourite(db: Db, userId: number, actionId: number): Promise<boolean> {
  const rows = await db
    .insertInto('favourites')
    .values({ user_id: userId, action_id: actionId })
    .onConflict((oc) => oc.columns(['user_id', 'action_id']).doNothing())
    .returning('action_id')
    .execute();
  return rows.length > 0;
}

/** Removes a fiche from a user's favourites. */
export async function removeFavourite(db: Db, userId: number, actionId: number): Promise<void> {
  await db.deleteFrom('favourites').where('user_id', '=', userId).where('action_id', '=', actionId).execute();
}

/** The fiches a user starred, latest first. */
export async function listFavouriteIds(db: Db, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('favourites')
    .select('action_id')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => r.action_id);
}

/** Whether a user starred this fiche. */
export async function isFavourite(db: Db, userId: number, actionId: number): Promise<boolean> {
  const row = await db
    .selectFrom('favourites')
    .select('action_id')
    .where('user_id', '=', userId)
    .where('action_id', '=', actionId)
    .executeTakeFirst();
  return row !== undefined;
}
