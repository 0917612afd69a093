import { sql } from 'kysely';
import { PUBLIC_CONTACT } from '../actions/actions.repository.js';
import type { Db } from '../db/database.js';

/** A structure as the import names it: its name in its département. */
export interface StructureKey {
  name: string;
  departementCode: string;
}

/** The ids of the stored structures among these, keyed by `structureKey`. */
export async function findStructureIds(db: Db, keys: StructureKey[]): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const { rows } = await sql<{ id: number; name: string; departement_code: string }>`
    select s.id, s.name, s.departement_code
    from structures s
      join unnest(${keys.map((k) => k.name)}::text[], ${keys.map((k) => k.departementCode)}::text[]) k(name, code)
        on s.name = k.name and s.departement_code = k.code`.execute(db);
  return new Map(rows.map((r) => [structureKey({ name: r.name, departementCode: r.departement_code }), r.id]));
}

/** The key of a structure in the maps above. */
export function structureKey(key: StructureKey): string {
  return `${key.departementCode}\u0000${key.name}`;
}

/** Stores new structures and returns their ids, in order. */
export async function insertStructures(
  db: Db,
  structures: Array<StructureKey & { kind: 'centre_social' | 'evs' | null }>,
): Promise<number[]> {
  if (structures.length === 0) return [];
  const rows = await db
    .insertInto('structures')
    .values(structures.map((s) => ({ name: s.name, departement_code: s.departementCode, kind: s.kind })))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
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
    .select(PUBLIC_CONTACT)
    .select((eb) =>
      eb
        .selectFrom('actions as a')
        .whereRef('a.structure_id', '=', 's.id')
        .where('a.publication', '=', 'published')
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

/** The published fiches of a structure, in title order. */
export async function listStructureActions(db: Db, structureId: number) {
  return db
    .selectFrom('actions as a')
    .leftJoin('statuses as st', 'st.code', 'a.status_code')
    .select(['a.id', 'a.title', 'a.status_code', 'st.label as status_label'])
    .where('a.structure_id', '=', structureId)
    .where('a.publication', '=', 'published')
    .orderBy(sql`lower(unaccent(a.title))`)
    .orderBy('a.id')
    .execute();
}

/** The structures these ids name, with their département, in name order. */
export async function listStructuresByIds(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('structures')
    .select(['id', 'name', 'departement_code'])
    .where('id', 'in', ids)
    .orderBy('name')
    .execute();
}

/** Changes a structure's name, département and kind. */
export async function updateStructure(
  db: Db,
  id: number,
  changes: StructureKey & { kind: 'centre_social' | 'evs' | null },
): Promise<void> {
  await db
    .updateTable('structures')
    .set({ name: changes.name, departement_code: changes.departementCode, kind: changes.kind, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** The ids of every fiche of a structure, whatever its state: what a change to the structure reindexes. */
export async function listStructureActionIds(db: Db, structureId: number): Promise<number[]> {
  const rows = await db.selectFrom('actions').select('id').where('structure_id', '=', structureId).execute();
  return rows.map((r) => r.id);
}

/** A structure's contact details, as stored; the relay address included. */
export async function getStructureContact(db: Db, id: number) {
  return db
    .selectFrom('structures')
    .select([
      'id',
      'name',
      'departement_code',
      'street_address',
      'postal_code',
      'commune_code',
      'commune_name',
      'phone',
      'website',
      'contact_email',
      'contact_role',
      'contact_name',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The contact details a structure's form changes. */
export type StructureContactColumns = Omit<
  NonNullable<Awaited<ReturnType<typeof getStructureContact>>>,
  'id' | 'name' | 'departement_code'
>;

/** Replaces a structure's contact details. */
export async function updateStructureContact(db: Db, id: number, contact: StructureContactColumns): Promise<void> {
  await db
    .updateTable('structures')
    .set({ ...contact, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}
