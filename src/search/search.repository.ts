import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database.js';
import { FACETS, type FacetFilters, type FacetName } from './facets.js';
import type { ParsedQuery, Term } from './query.js';
import { resultRows } from './result-rows.repository.js';
import { TEXT_CONFIG } from './text-config.js';

/** For each word: whether the fiches know its stem, and the nearest known word by trigrams. */
export async function checkWords(db: Db, words: string[]) {
  if (words.length === 0) return [];
  const { rows } = await sql<{ input: string; known: boolean; suggestion: string | null }>`
    select w.input,
      (select count(*) from unnest(to_tsvector(${TEXT_CONFIG}, w.input))) = 0
        or exists (select 1 from search_words sw
          where sw.stem = any(array(select lexeme from unnest(to_tsvector(${TEXT_CONFIG}, w.input))))) as known,
      (select sw.word from search_words sw
        where sw.plain % unaccent(lower(w.input))
        order by similarity(sw.plain, unaccent(lower(w.input))) desc, sw.documents desc, sw.word
        limit 1) as suggestion
    from unnest(${words}::text[]) with ordinality as w(input, n)
    order by w.n`.execute(db);
  return rows;
}

function termQuery(text: string, words: number): RawBuilder<unknown> {
  return words > 1 ? sql`phraseto_tsquery(${TEXT_CONFIG}, ${text})` : sql`plainto_tsquery(${TEXT_CONFIG}, ${text})`;
}

function termTsquery(term: Term): RawBuilder<unknown> {
  const alternatives = [termQuery(term.words.join(' '), term.words.length)];
  if (term.prefix) alternatives.push(completions(term.words[0]));
  for (const synonym of term.synonyms) alternatives.push(termQuery(synonym, synonym.split(/\s+/).length));
  const any = alternatives.length === 1 ? alternatives[0] : sql`(${sql.join(alternatives, sql` || `)})`;
  return term.negated ? sql`(!! ${any})` : any;
}

// The most words a last word being typed stands for: the most frequent ones.
const MAX_COMPLETIONS = 64;

/**
 * The stems of the lexicon's words that start with a word as typed (« numéri » → numérique's
 * stem): a prefix of the word, not of its stem, which may be much shorter (« aînés » → « ain »).
 * The word (a value, or a column of the statement) has letters and digits only (see
 * parseQuery), so nothing in it is LIKE syntax.
 */
export function completionStems(word: string | RawBuilder<unknown>): RawBuilder<unknown> {
  // The range reads search_words_plain_prefix_idx whatever the plan: a LIKE on a parameter
  // cannot, and a prepared statement's generic plan took the trigram index instead, 20 to 30
  // times slower. The LIKE keeps the exact meaning (no text has U+10FFFF).
  const plain = sql`unaccent(lower(${word}))`;
  return sql`(select stem from search_words
    where plain ~>=~ ${plain} and plain ~<~ (${plain} || chr(1114111)) and plain like (${plain} || '%')
    group by stem order by max(documents) desc, stem limit ${MAX_COMPLETIONS})`;
}

function completions(word: string): RawBuilder<unknown> {
  return sql`coalesce((select string_agg(quote_literal(c.stem), ' | ') from ${completionStems(word)} c)::tsquery,
    plainto_tsquery(${TEXT_CONFIG}, ${word}))`;
}

/** The tsquery of a parsed query, as SQL: groups joined by AND, the terms of a group by OR. */
export function tsquery(query: ParsedQuery): RawBuilder<unknown> {
  return sql`(${sql.join(
    query.map((group) => sql`(${sql.join(group.map(termTsquery), sql` || `)})`),
    sql` && `,
  )})`;
}

/** Any one of the wanted terms: what a field must hold to give a snippet. */
function anyWantedTerm(query: ParsedQuery): RawBuilder<unknown> {
  const wanted = query.flat().filter((t) => !t.negated);
  return wanted.length > 0 ? sql`(${sql.join(wanted.map(termTsquery), sql` || `)})` : tsquery(query);
}

/** How many nodes the query keeps once stop words are dropped: 0 means "search everything". */
export async function countQueryNodes(db: Db, query: ParsedQuery): Promise<number> {
  if (query.length === 0) return 0;
  const { rows } = await sql<{ n: number }>`select numnode(${tsquery(query)})::int as n`.execute(db);
  return rows[0].n;
}

/** Whether any fiche matches a (non-empty) query. */
export async function anyMatch(db: Db, query: ParsedQuery): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    select exists (select 1 from action_search s where s.document @@ ${tsquery(query)}) as found`.execute(db);
  return rows[0].found;
}

/** What a search is over: the text query (already known to be non-empty), facet filters, a structure. */
export interface SearchScope {
  query?: ParsedQuery;
  filters: FacetFilters;
  structureId?: number;
  /** Only these fiches (the similar ones, for instance). */
  actionIds?: number[];
}

function facetCondition(name: FacetName, codes: string[]): RawBuilder<unknown> {
  const column = sql.ref(`s.${FACETS[name].column}`);
  return FACETS[name].multi ? sql`${column} && ${codes}::text[]` : sql`${column} = any(${codes}::text[])`;
}

function textConditions(scope: SearchScope): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (scope.query) parts.push(sql`s.document @@ ${tsquery(scope.query)}`);
  if (scope.structureId !== undefined) parts.push(sql`s.structure_id = ${scope.structureId}`);
  if (scope.actionIds) parts.push(sql`s.action_id = any(${scope.actionIds}::int[])`);
  return sql.join(parts, sql` and `);
}

function selectedFacets(scope: SearchScope): FacetName[] {
  return (Object.keys(FACETS) as FacetName[]).filter((name) => (scope.filters[name]?.length ?? 0) > 0);
}

function conditions(scope: SearchScope): RawBuilder<unknown> {
  return sql.join(
    [textConditions(scope), ...selectedFacets(scope).map((name) => facetCondition(name, scope.filters[name] ?? []))],
    sql` and `,
  );
}

// Below this many matches, a page is sorted from the matches rather than read along an index.
const INDEX_WALK_MIN_MATCHES = 5000;

/**
 * One page of results, with what a result list shows and a highlighted snippet when there is a
 * query. `matches`, when known, is the number of matching fiches: it chooses the plan.
 */
export async function searchPage(
  db: Db,
  scope: SearchScope,
  order: 'relevance' | 'recent' | 'title' | 'budget' | 'department',
  limit: number,
  offset: number,
  matches?: number,
) {
  // Walking the index of an order finds a page quickly when matches are dense, and reads the
  // whole table when they are rare (a rare word is estimated at 0.5 % of the fiches, whatever its
  // real count). Given the number of matches, an order by an expression no index serves makes
  // the planner collect the few matches first and sort them.
  const walk = matches === undefined || matches >= INDEX_WALK_MIN_MATCHES;
  const date = walk ? sql`s.sort_date` : sql`(s.sort_date + interval '0 s')`;
  const orderBy =
    order === 'title'
      ? sql`${walk ? sql`s.title_sort` : sql`(s.title_sort || '')`}, s.action_id`
      : order === 'department'
        ? sql`s.departement_code collate "C", s.title_sort, s.action_id`
        : order === 'budget'
          ? sql`${walk ? sql`s.budget_total` : sql`(s.budget_total + 0)`} desc nulls last, s.action_id desc`
          : order === 'relevance' && scope.query
            ? sql`ts_rank(s.document, ${tsquery(scope.query)}, 1) desc, s.sort_date desc, s.action_id desc`
            : sql`${date} desc, s.action_id desc`;
  return resultRows(
    db,
    sql`select s.action_id, s.status_code, s.dimension_code, s.keyword_codes, s.public_codes, s.budget_total,
        row_number() over (order by ${orderBy}) as n
      from action_search s
      where ${conditions(scope)}
      order by ${orderBy}
      limit ${limit} offset ${offset}`,
    scope.query && {
      whole: tsquery(scope.query),
      any: scope.query.flat().length === 1 ? null : anyWantedTerm(scope.query),
    },
  );
}

/**
 * The number of results and, for each facet, the count of each code. A facet's counts ignore
 * that facet's own selection (its values are alternatives, joined by OR) and apply all the
 * others; `within` applies them all: the counts among the results, as statistics show them.
 */
export async function countFacets(db: Db, scope: SearchScope, within = false) {
  const names = Object.keys(FACETS) as FacetName[];
  const selected = selectedFacets(scope);
  // One pass over the matching rows; each selected facet becomes a boolean column m_<facet>.
  const matches = selected.map(
    (name) => sql`${facetCondition(name, scope.filters[name] ?? [])} as ${sql.ref(`m_${name}`)}`,
  );
  const allBut = (except?: FacetName) =>
    sql.join([sql`true`, ...selected.filter((n) => n !== except).map((n) => sql.ref(`b.m_${n}`))], sql` and `);
  const selects = names.map((name) => {
    const def = FACETS[name];
    const column = sql.ref(`b.${def.column}`);
    return def.multi
      ? sql`select ${name}::text, c.code, count(*)::int from base b cross join unnest(${column}) as c(code)
          where ${allBut(within ? undefined : name)} group by 2`
      : sql`select ${name}::text, ${column}, count(*)::int from base b where ${allBut(within ? undefined : name)} and ${column} is not null
          group by 2`;
  });
  const { rows } = await sql<{ facet: FacetName | 'total'; code: string | null; n: number }>`
    with base as materialized (
      select ${sql.join([...names.map((n) => sql.ref(`s.${FACETS[n].column}`)), ...matches])}
      from action_search s where ${textConditions(scope)}
    )
    select 'total'::text as facet, null::text as code, count(*)::int as n from base b where ${allBut()}
    union all ${sql.join(selects, sql` union all `)}`.execute(db);
  return rows;
}

/** Fiches like this one: sharing keywords and the words of its title and résumé. Returns ids, best first. */
export async function findSimilarActionIds(db: Db, actionId: number, limit: number): Promise<number[]> {
  const { rows } = await sql<{ action_id: number }>`
    with me as (select action_id, document, keyword_codes from action_search where action_id = ${actionId}),
    terms as (
      select to_tsquery('simple', string_agg('''' || replace(replace(u.lexeme, '\\', ''), '''', '''''') || '''', ' | ')) as q
      from me cross join unnest(me.document) u
      where u.weights && array['A', 'B'] and length(u.lexeme) >= 3
    )
    select s.action_id
    from action_search s cross join me cross join terms
    where s.action_id <> me.action_id and (s.document @@ terms.q or s.keyword_codes && me.keyword_codes)
    order by cardinality(array(select unnest(s.keyword_codes) intersect select unnest(me.keyword_codes))) * 0.2
      + ts_rank(s.document, terms.q, 32) desc, s.action_id
    limit ${limit}`.execute(db);
  return rows.map((r) => r.action_id);
}

/** Up to `limit` ids of matching fiches after `after`, in id order: an export reads them batch by batch. */
export async function listMatchingActionIds(db: Db, scope: SearchScope, after: number, limit: number) {
  const { rows } = await sql<{ action_id: number }>`
    select s.action_id from action_search s
    where ${conditions(scope)} and s.action_id > ${after}
    order by s.action_id limit ${limit}`.execute(db);
  return rows.map((r) => r.action_id);
}

/** The median budget of the matching fiches that state one, overall and for each keyword. */
export async function medianBudgets(db: Db, scope: SearchScope) {
  const { rows } = await sql<{ code: string | null; median: string; n: number }>`
    with base as materialized (
      select s.budget_total, s.keyword_codes from action_search s
      where ${conditions(scope)} and s.budget_total is not null
    )
    select null::text as code, percentile_cont(0.5) within group (order by budget_total)::text as median,
      count(*)::int as n from base having count(*) > 0
    union all
    select k.code, percentile_cont(0.5) within group (order by b.budget_total)::text, count(*)::int
    from base b cross join unnest(b.keyword_codes) k(code) group by k.code`.execute(db);
  return rows.map((r) => ({ code: r.code, median: Number(r.median), count: r.n }));
}
