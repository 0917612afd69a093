import type { SessionUser } from '../authorization/authorization.js';
import type { Db } from '../db/database.js';
import { matchWritableStructure, mayWriteFor, STRUCTURE_SELECT_MAX } from './publishing.service.js';

/** What the structure's search field holds, and the structures it might name when it names several. */
export interface StructureSearch {
  value: string;
  candidates: Array<{ code: string; label: string }>;
}

/** Whether the new fiche's structure is typed rather than chosen in a list: an admin's, or a long one. */
export function searchesStructures(user: SessionUser): boolean {
  return user.isAdmin || user.structureIds.length > STRUCTURE_SELECT_MAX;
}

/**
 * The structure a new fiche's form names: the list's choice, or what the search field found (a
 * choice among the candidates it offers when the text names several).
 */
export async function chosenStructure(
  db: Db,
  user: SessionUser,
  body: { structure?: string; structureSearch?: string },
): Promise<{ id: number; error?: string; search?: StructureSearch }> {
  const search = searchesStructures(user) ? { value: body.structureSearch ?? '', candidates: [] } : undefined;
  let id = Number(body.structure ?? '');
  if (search && !body.structure) {
    const match = await matchWritableStructure(db, user, search.value);
    if (!('id' in match)) return { id, error: match.message, search: { ...search, candidates: match.candidates } };
    id = match.id;
  }
  if (!(await mayWriteFor(db, user, id))) {
    return { id, error: 'Choisissez une des structures dont vous rédigez les fiches.', search };
  }
  return { id, search };
}
