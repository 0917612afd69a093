import { getFiche } from '../actions/actions.service.js';
import type { SessionUser } from '../authorization/authorization.js';
import { notFound } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { addFigures } from '../figures/figures.repository.js';
import { parisMonth } from '../figures/months.js';
import type { SearchResult } from '../search/search.model.js';
import { search } from '../search/search.service.js';
import { addFavourite, isFavourite, listFavouriteIds, removeFavourite } from './favourites.repository.js';

/** Stars a public fiche for the user; 404 when there is no such fiche. */
export async function starFiche(db: Db, user: SessionUser, actionId: number): Promise<void> {
  if (!(await getFiche(db, actionId))) throw notFound('Cette fiche action n’existe pas, ou plus.');
  await inTransaction(db, async (tx) => {
    // Counted for its authors once per reader, however often it is starred again.
    if (await addFavourite(tx, user.id, actionId)) {
      await addFigures(tx, [{ actionId, month: parisMonth(new Date()), kind: 'favourites', count: 1 }]);
    }
  });
}

/** Takes a fiche out of the user's favourites. */
export function unstarFiche(db: Db, user: SessionUser, actionId: number): Promise<void> {
  return removeFavourite(db, user.id, actionId);
}

/** Whether the reader starred the fiche; never for a visitor who is not signed in. */
export async function isStarred(db: Db, user: SessionUser | null, actionId: number): Promise<boolean> {
  return user ? isFavourite(db, user.id, actionId) : false;
}

/** The ids of the user's favourite fiches, the latest starred first: what their exports hold. */
export function favouriteIds(db: Db, user: SessionUser): Promise<number[]> {
  return listFavouriteIds(db, user.id);
}

/**
 * One page of the user's favourites, as a search gives it, so that a fiche no longer public
 * leaves the list by itself.
 */
export async function listFavourites(db: Db, user: SessionUser, page?: number): Promise<SearchResult> {
  return search(db, { actionIds: await favouriteIds(db, user), sort: 'recent', page });
}
