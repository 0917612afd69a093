import { sql } from 'kysely';
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

// A structure with its département, its région and how many fiches it has: what every reader sees.
function structuresWithPlace(db: Db) {
  return db
    .selectFrom('structures as s')
    .innerJoin('departements as d', 'd.code', 's.departement_code')
    .innerJoin('regions as r', 'r.code', 'd.region_code')
    .select([
      's.id',
      's.name',
      's.kind',
      'd.code as departement_code',
      'd.name as departement_name',
      'r.code as region_code',
      'r.name as region_name',
    ])
    .select((eb) =>
      eb
        .selectFrom('actions as a')
        .whereRef('a.structure_id', '=', 's.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('action_count'),
    );
}

/** A structure with its département and région, or undefined. */
export async function getStructure(db: Db, id: number) {
  return structuresWithPlace(db).where('s.id', '=', id).executeTakeFirst();
}

/** Structures in name order, optionally of some départements or whose name contains a text; with the total. */
export async function listStructures(
  db: Db,
  filter: { departementCodes?: string[]; nameContains?: string },
  limit: number,
  offset: number,
) {
  let query = structuresWithPlace(db).select(sql<number>`count(*) over ()::int`.as('total'));
  if (filter.departementCodes && filter.departementCodes.length > 0) {
    query = query.where('s.departement_code', 'in', filter.departementCodes);
  }
  if (filter.nameContains) {
    const pattern = `%${filter.nameContains.replace(/[\\%_]/g, '\\$&')}%`;
    query = query.where(sql<boolean>`unaccent(s.name) ilike unaccent(${pattern})`);
  }
  return query.orderBy(sql`lower(unaccent(s.name))`).orderBy('s.id').limit(limit).offset(offset).execute();
}

/** The fiches of a structure, in title order. */
export async function listStructureActions(db: Db, structureId: number) {
  return db
    .selectFrom('actions as a')
    .leftJoin('statuses as st', 'st.code', 'a.status_code')
    .select(['a.id', 'a.title', 'a.status_code', 'st.label as status_label'])
    .where('a.structure_id', '=', structureId)
    .orderBy(sql`lower(unaccent(a.title))`)
    .orderBy('a.id')
    .execute();
}
