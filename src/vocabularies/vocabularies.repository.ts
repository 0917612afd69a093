import { sql } from 'kysely';
import { type Db, VOCABULARY_TABLES, type VocabularyTableName } from '../db/database.js';
import type { Departement, Region } from './departements.js';

/** A vocabulary term as stored. */
export interface TermRow {
  code: string;
  label: string;
  legacy_labels: string[];
  sort_order: number;
  flagged: boolean;
}

/** Inserts terms whose code is not there yet; an admin's later edits are never overwritten. */
export async function insertMissingTerms(db: Db, table: VocabularyTableName, terms: TermRow[]): Promise<void> {
  if (terms.length === 0) return;
  await db
    .insertInto(table)
    .values(terms)
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

/** Every term of a vocabulary in display order. */
export async function listTerms(db: Db, table: VocabularyTableName): Promise<TermRow[]> {
  return db
    .selectFrom(table)
    .select(['code', 'label', 'legacy_labels', 'sort_order', 'flagged'])
    .orderBy('sort_order')
    .orderBy('label')
    .execute();
}

/** Every term of every vocabulary in one query, each with its vocabulary's table name, in display order. */
export async function listAllTerms(db: Db): Promise<Array<TermRow & { vocabulary: VocabularyTableName }>> {
  const [first, ...rest] = VOCABULARY_TABLES.map((table) =>
    db
      .selectFrom(table)
      .select([
        sql<VocabularyTableName>`${sql.lit(table)}::text`.as('vocabulary'),
        'code',
        'label',
        'legacy_labels',
        'sort_order',
        'flagged',
      ]),
  );
  const query = rest.reduce((union, next) => union.unionAll(next), first);
  const rows = await query.execute();
  return rows.sort((a, b) => a.sort_order - b.sort_order || a.label.localeCompare(b.label, 'fr'));
}

/** Writes the official régions and départements, refreshing names that changed upstream. */
export async function upsertGeography(db: Db, regions: readonly Region[], departements: readonly Departement[]) {
  await db
    .insertInto('regions')
    .values(regions.map((r) => ({ code: r.code, name: r.name })))
    .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name') })))
    .execute();
  await db
    .insertInto('departements')
    .values(departements.map((d) => ({ code: d.code, name: d.name, region_code: d.regionCode })))
    .onConflict((oc) =>
      oc
        .column('code')
        .doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), region_code: eb.ref('excluded.region_code') })),
    )
    .execute();
}

/** Every département with its région's name. */
export async function listDepartements(db: Db) {
  return db
    .selectFrom('departements as d')
    .innerJoin('regions as r', 'r.code', 'd.region_code')
    .select(['d.code', 'd.name', 'd.region_code', 'r.name as region_name'])
    .orderBy('d.code')
    .execute();
}

// Where each vocabulary's codes are used: a column of `actions`, or a link table.
const USES: Record<VocabularyTableName, Array<{ table: string; column: string; actionId: string }>> = {
  statuses: [{ table: 'actions', column: 'status_code', actionId: 'id' }],
  dimensions: [{ table: 'actions', column: 'dimension_code', actionId: 'id' }],
  territories: [
    { table: 'actions', column: 'territory_code', actionId: 'id' },
    { table: 'actions', column: 'partners_territory_code', actionId: 'id' },
  ],
  keywords: [{ table: 'action_keywords', column: 'keyword_code', actionId: 'action_id' }],
  initiatives: [{ table: 'action_initiatives', column: 'initiative_code', actionId: 'action_id' }],
  publics: [{ table: 'action_publics', column: 'public_code', actionId: 'action_id' }],
  partners: [{ table: 'action_partners', column: 'partner_code', actionId: 'action_id' }],
};

function usesOf(table: VocabularyTableName) {
  return sql.join(
    USES[table].map(
      (u) => sql`select ${sql.ref(u.actionId)} as action_id, ${sql.ref(u.column)} as code from ${sql.table(u.table)}`,
    ),
    sql` union all `,
  );
}

/** How many published fiches use each code of a vocabulary (codes no fiche uses are absent). */
export async function countTermUses(db: Db, table: VocabularyTableName): Promise<Map<string, number>> {
  const { rows } = await sql<{ code: string; n: number }>`
    select u.code, count(distinct u.action_id)::int as n from (${usesOf(table)}) u
      join actions a on a.id = u.action_id and a.publication = 'published'
    where u.code is not null group by u.code`.execute(db);
  return new Map(rows.map((r) => [r.code, Number(r.n)]));
}

/** The ids of every fiche, public or not, that uses a term: what a change of its label reindexes. */
export async function listActionIdsUsingTerm(db: Db, table: VocabularyTableName, code: string): Promise<number[]> {
  const { rows } = await sql<{ action_id: number }>`
    select distinct u.action_id from (${usesOf(table)}) u where u.code = ${code}`.execute(db);
  return rows.map((r) => r.action_id);
}

/** Changes a term's label, old labels and whether it awaits checking. */
export async function updateTerm(
  db: Db,
  table: VocabularyTableName,
  code: string,
  changes: Pick<TermRow, 'label' | 'legacy_labels' | 'flagged'>,
): Promise<void> {
  await db.updateTable(table).set(changes).where('code', '=', code).execute();
}
