import type { Db } from '../db/database.js';
import { loadFiches } from './actions.repository.js';
import type { StoredFiche } from './fiche.js';

/** One whole fiche, or undefined when no fiche has this id. */
export async function getFiche(db: Db, id: number): Promise<StoredFiche | undefined> {
  const [fiche] = await loadFiches(db, [id]);
  return fiche;
}
