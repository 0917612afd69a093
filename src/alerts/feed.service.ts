import { type FicheJson, presentFiche } from '../actions/actions.presenter.js';
import { loadFiches } from '../actions/actions.repository.js';
import type { Db } from '../db/database.js';
import type { SearchRequest } from '../search/search.model.js';
import { describeSearch } from '../search/search.params.js';
import { search } from '../search/search.service.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';

/** How many of a search's latest fiches its feed gives. */
export const FEED_SIZE = 30;

/** A search's latest fiches, newest first, with the search in words: what its Atom feed holds. */
export interface SearchFeed {
  q: string;
  filters: Required<SearchRequest>['filters'];
  description: string;
  fiches: FicheJson[];
}

/** The latest fiches of a search, as its feed gives them; a bad filter is the search's French 400. */
export async function searchFeed(db: Db, request: SearchRequest): Promise<SearchFeed> {
  const result = await search(db, { ...request, sort: 'recent', page: 1, perPage: FEED_SIZE });
  const ids = result.items.map((item) => item.id);
  const [ref, stored] = await Promise.all([loadReferenceIndex(db), loadFiches(db, ids)]);
  const byId = new Map(stored.map((fiche) => [fiche.id, fiche]));
  const fiches = ids.flatMap((id) => {
    const fiche = byId.get(id);
    return fiche ? [presentFiche(fiche, ref)] : [];
  });
  return { q: result.q, filters: result.filters, description: describeSearch(result.q, result.facets), fiches };
}
