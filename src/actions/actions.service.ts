import type { Db } from '../db/database.js';
import { countActions, listActionSummaries, loadFiches } from './actions.repository.js';
import type { StoredFiche } from './fiche.js';

/** One whole fiche, or undefined when no fiche has this id. */
export async function getFiche(db: Db, id: number): Promise<StoredFiche | undefined> {
  const [fiche] = await loadFiches(db, [id]);
  return fiche;
}

/** What the home page shows: how many fiches there are and the latest ones. */
export async function getCatalogueOverview(db: Db, latest = 30) {
  const [total, items] = await Promise.all([countActions(db), listActionSummaries(db, latest)]);
  return { total, items };
}
