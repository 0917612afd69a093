import type { Db } from '../db/database.js';

/** The départements that have published fiches, with their number, in code order. */
export async function listDepartementsWithFiches(db: Db) {
  return db
    .selectFrom('departements as d')
    .innerJoin('structures as s', 's.departement_code', 'd.code')
    .innerJoin('actions as a', 'a.structure_id', 's.id')
    .where('a.publication', '=', 'published')
    .groupBy(['d.code', 'd.name'])
    .select(['d.code', 'd.name', (eb) => eb.fn.countAll<string>().as('n')])
    .orderBy('d.code')
    .execute();
}

/** The structures that have published fiches, with the date of their latest change, by id. */
export async function listStructuresWithFiches(db: Db) {
  return db
    .selectFrom('structures as s')
    .innerJoin('actions as a', 'a.structure_id', 's.id')
    .where('a.publication', '=', 'published')
    .groupBy(['s.id', 's.name'])
    .select(['s.id', 's.name', (eb) => eb.fn.max('a.updated_at').as('updated_at')])
    .orderBy('s.id')
    .execute();
}

/** The number of published fiches. */
export async function countPublishedFiches(db: Db): Promise<number> {
  const row = await db
    .selectFrom('actions')
    .where('publication', '=', 'published')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Published fiches by id: after `afterId`, skipping `offset` more, at most `limit`. */
export async function listPublishedFiches(db: Db, at: { afterId: number; offset: number; limit: number }) {
  return db
    .selectFrom('actions')
    .where('publication', '=', 'published')
    .where('id', '>', at.afterId)
    .select(['id', 'title', 'updated_at'])
    .orderBy('id')
    .offset(at.offset)
    .limit(at.limit)
    .execute();
}
