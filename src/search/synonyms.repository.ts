import type { Db } from '../db/database.js';

/** Every synonym group, oldest first. */
export async function listSynonymGroups(db: Db) {
  return db.selectFrom('search_synonyms').select(['id', 'terms']).orderBy('id').execute();
}

/** Adds a synonym group and returns its id. */
export async function insertSynonymGroup(db: Db, terms: string[]): Promise<number> {
  const row = await db.insertInto('search_synonyms').values({ terms }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Deletes a synonym group; false when there was none with this id. */
export async function deleteSynonymGroup(db: Db, id: number): Promise<boolean> {
  const result = await db.deleteFrom('search_synonyms').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
