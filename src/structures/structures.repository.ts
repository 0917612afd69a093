import type { Db } from '../db/database.js';

/** The id of the structure with this name in this département, if stored. */
export async function findStructureId(db: Db, name: string, departementCode: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('structures')
    .select('id')
    .where('name', '=', name)
    .where('departement_code', '=', departementCode)
    .executeTakeFirst();
  return row?.id;
}

/** Stores a new structure and returns its id. */
export async function insertStructure(
  db: Db,
  structure: { name: string; departementCode: string; kind: 'centre_social' | 'evs' | null },
): Promise<number> {
  const row = await db
    .insertInto('structures')
    .values({ name: structure.name, departement_code: structure.departementCode, kind: structure.kind })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
