import { AppError } from '../core/errors.js';
import { quote } from '../core/typography.js';
import type { Db } from '../db/database.js';
import { synonymKey } from './query.js';
import { deleteSynonymGroup, insertSynonymGroup, listSynonymGroups } from './synonyms.repository.js';

/** A synonym group that cannot be stored as given; the message says why, in French. */
function synonymsRefused(message: string): AppError {
  return new AppError('invalid_synonyms', message);
}

/** Every synonym group: each term is searched as any other of its group. */
export async function listSynonyms(db: Db): Promise<Array<{ id: number; terms: string[] }>> {
  return listSynonymGroups(db);
}

/** Adds a group of at least two distinct terms; returns its id. */
export async function addSynonymGroup(db: Db, terms: string[]): Promise<number> {
  const cleaned = [...new Set(terms.map((t) => t.trim().replace(/\s+/g, ' ')).filter(Boolean))];
  const tooLong = cleaned.find((t) => t.length > 60);
  if (tooLong) throw synonymsRefused(`Le terme ${quote(tooLong.slice(0, 20))}… dépasse 60 caractères.`);
  if (new Set(cleaned.map(synonymKey)).size < 2) {
    throw synonymsRefused('Un groupe de synonymes compte au moins deux termes différents.');
  }
  return insertSynonymGroup(db, cleaned);
}

/** Removes a group; throws when there is none with this id. */
export async function removeSynonymGroup(db: Db, id: number): Promise<void> {
  if (!(await deleteSynonymGroup(db, id))) throw synonymsRefused(`Aucun groupe de synonymes n’a le numéro ${id}.`);
}
