import { type RawBuilder, sql } from 'kysely';
import { FIELD_LIST } from '../actions/fields.js';
import type { Db, Freshness } from '../db/database.js';
import { PREPARED } from '../db/prepared.js';
import { MARK_END, MARK_START } from './snippet.js';
import { TEXT_CONFIG } from './text-config.js';

// What a result list shows of each fiche, read for the index's pages and the plain search's.

// The plain search's snippets (the index's are made in src/search/snippet.ts, the same way).
const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=28, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;

// The free-text columns a snippet may come from, in the order the registry ranks them.
const SNIPPET_FIELDS = FIELD_LIST.filter((f) => f.snippet !== undefined && f.column)
  .sort((a, b) => (a.snippet ?? 0) - (b.snippet ?? 0))
  .map((f) => f.column as string);

/** Where each fiche's snippet may come from: the résumé, the other texts, or nowhere. */
export type SnippetSources = Array<'summary' | 'texts' | 'none'>;

/**
 * These fiches as result rows, in this order; with `sources`, each row's `texts` are those its
 * snippet may come from. With `shownByIndex`, the facet codes and the budget are left empty for
 * the index, which holds them: only the fiche, its structure and its texts are read, not the
 * search row (20 random fiches of 100 000: 2.3 ms instead of 3.1, docs/BENCHMARKS.md).
 */
export async function readResultRows(
  db: Db,
  actionIds: number[],
  { sources, shownByIndex = false }: { sources?: SnippetSources; shownByIndex?: boolean } = {},
) {
  if (actionIds.length === 0) return [];
  const ordered = sql`unnest(${actionIds}::int[], ${sources ?? actionIds.map(() => 'none')}::text[])
    with ordinality u(id, source, n)`;
  return resultRows(
    db,
    shownByIndex
      ? sql`select u.id as action_id, null::text as status_code, null::text as dimension_code,
          '{}'::text[] as keyword_codes, '{}'::text[] as public_codes, null::numeric as budget_total, u.n, u.source
        from ${ordered}`
      : sql`select s.action_id, s.status_code, s.dimension_code, s.keyword_codes, s.public_codes, s.budget_total,
          u.n, u.source
        from ${ordered} join action_search s on s.action_id = u.id`,
    'texts',
  );
}

/**
 * What a result list shows of the fiches a page query selects (action_id, codes, budget, order n),
 * with the plain search's snippet made by ts_headline, or the texts the index's is made from.
 */
export async function resultRows(
  db: Db,
  page: RawBuilder<unknown>,
  snippet: { whole: RawBuilder<unknown>; any: RawBuilder<unknown> | null } | 'texts' | undefined,
) {
  // The snippet comes from the first field, by weight, holding every wanted word, or else any.
  // Fields are read in order and the first one found ends the look-up: analysing a field is
  // what a snippet costs, and the résumé usually has the words.
  const firstField = (holding: RawBuilder<unknown>) =>
    sql`case ${sql.join(
      SNIPPET_FIELDS.map(
        (field) =>
          sql`when to_tsvector(${TEXT_CONFIG}, coalesce(a.${sql.ref(field)}, '')) @@ ${holding} then a.${sql.ref(field)}`,
      ),
      sql` `,
    )} end`;
  const headline =
    snippet && snippet !== 'texts'
      ? sql`ts_headline(${TEXT_CONFIG}, ${snippet.any ? sql`coalesce(${firstField(snippet.whole)}, ${firstField(snippet.any)})` : firstField(snippet.whole)}, ${snippet.whole}, ${HEADLINE_OPTIONS})`
      : sql`null`;
  // The index knows which fields may hold the words (page.source); each is a column of its own,
  // which the driver reads many times faster than an array.
  const texts = SNIPPET_FIELDS.map((field, i) => {
    const from = i === 0 ? sql`page.source in ('summary', 'texts')` : sql`page.source = 'texts'`;
    return snippet === 'texts'
      ? sql`case when ${from} then a.${sql.ref(field)} end as ${sql.ref(`text_${i}`)}`
      : sql`null as ${sql.ref(`text_${i}`)}`;
  });
  const { rows } = await sql<
    {
      id: number;
      title: string;
      summary: string | null;
      structure_id: number;
      structure_name: string;
      departement_code: string;
      departement_name: string;
      status_code: string | null;
      dimension_code: string | null;
      keyword_codes: string[];
      public_codes: string[];
      budget_total: number | null;
      freshness: Freshness;
      headline: string | null;
    } & Record<`text_${number}`, string | null>
  >`${snippet === 'texts' ? PREPARED : sql``}
    with page as (${page})
    select a.id, a.title, a.summary, st.id as structure_id, st.name as structure_name,
      d.code as departement_code, d.name as departement_name, page.status_code, page.dimension_code,
      page.keyword_codes, page.public_codes, page.budget_total, a.freshness, ${headline} as headline,
      ${sql.join(texts)}
    from page
      join actions a on a.id = page.action_id
      join structures st on st.id = a.structure_id
      join departements d on d.code = st.departement_code
    where a.publication = 'published'
    order by page.n`.execute(db);
  return rows.map((row) => {
    const texts = SNIPPET_FIELDS.map((_, i) => row[`text_${i}`]);
    const { id, title, summary, structure_id, structure_name, departement_code, departement_name } = row;
    const { status_code, dimension_code, keyword_codes, public_codes, budget_total, freshness, headline } = row;
    return {
      ...{ id, title, summary, structure_id, structure_name, departement_code, departement_name },
      ...{ status_code, dimension_code, keyword_codes, public_codes, budget_total, freshness, headline },
      texts: texts.some((text) => text !== null) ? texts : null,
    };
  });
}
