import type { Db } from '../db/database.js';
import { loadFiches } from './actions.repository.js';
import type { StoredFiche } from './fiche.js';

/** One whole published fiche, or undefined when no public fiche has this id. */
export async function getFiche(db: Db, id: number): Promise<StoredFiche | undefined> {
  const [fiche] = await loadFiches(db, [id]);
  return fiche?.publication === 'published' ? fiche : undefined;
}
