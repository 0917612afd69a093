import { type Kysely, sql } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import { PREPARED } from '../../db/prepared.js';
import { FACET_NAMES, FACETS, type FacetName } from '../facets.js';
import type { ParsedQuery } from '../query.js';
import { completionStems } from '../search.repository.js';
import { TEXT_CONFIG } from '../text-config.js';
import type { IndexRow } from './search-index.js';
import type { LexiconWord } from './typo-lexicon.js';

type SearchRow = {
  action_id: number;
  document: string;
  title_sort: string;
  sort_ms: number;
  structure_id: number;
  budget_total: number | null;
} & Record<string, string | string[] | null>;

const ROW_COLUMNS = sql.raw(
  [
    's.action_id',
    's.document::text as document',
    's.title_sort',
    'extract(epoch from s.sort_date)::float8 * 1000 as sort_ms',
    's.structure_id',
    's.budget_total::float8 as budget_total',
    ...FACET_NAMES.map((name) => `s.${FACETS[name].column}`),
  ].join(', '),
);

function toIndexRow(row: SearchRow): IndexRow {
  const facets = {} as Record<FacetName, string[]>;
  for (const name of FACET_NAMES) {
    const value = row[FACETS[name].column];
    facets[name] = Array.isArray(value) ? value : value === null ? [] : [value];
  }
  return {
    actionId: row.action_id,
    document: row.document,
    titleSort: row.title_sort,
    sortDate: row.sort_ms,
    structureId: row.structure_id,
    budgetTotal: row.budget_total,
    facets,
  };
}

/** The search generations: of every search read, of the last truncate, of the reference data. */
export async function readGenerations(db: Db): Promise<{ generation: bigint; reference: bigint }> {
  const { rows } = await sql<{ generation: string; reference: string }>`
    select generation::text as generation, reference_generation::text as reference from search_state`.execute(db);
  return { generation: BigInt(rows[0].generation), reference: BigInt(rows[0].reference) };
}

/**
 * Every search row, `batch` at a time in id order, all read in one snapshot, with the
 * generation of that snapshot; `onBatch` may take its time, the snapshot waits. The next batch
 * is asked for before a batch is handed over, so that the database writes it out meanwhile.
 */
export async function readAllIndexRows(
  db: Kysely<Database>,
  batch: number,
  onBatch: (rows: IndexRow[]) => Promise<void> | void,
): Promise<bigint> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      const { generation } = await readGenerations(tx);
      const rowsAfter = async (after: number) =>
        (
          await sql<SearchRow>`select ${ROW_COLUMNS} from action_search s
          where s.action_id > ${after} order by s.action_id limit ${batch}`.execute(tx)
        ).rows;
      for (let next = rowsAfter(0); ; ) {
        const rows = await next;
        if (rows.length === 0) return generation;
        next = rowsAfter(rows[rows.length - 1].action_id);
        // Awaited at the next turn; a failure of `onBatch` first must not leave it unhandled.
        next.catch(() => {});
        await onBatch(rows.map(toIndexRow));
      }
    });
}

/** What changed after a generation: the fiches to read again, or a reset. */
export interface IndexChanges {
  generation: bigint;
  /** The generation of the reference data (vocabularies, synonyms) in the same snapshot. */
  reference: bigint;
  /** A truncate happened after the index's generation: it must be built again. */
  reset: boolean;
  /** The changed fiches' ids; those without a row left the search (unpublished or deleted). */
  changedIds: number[];
  rows: IndexRow[];
  /** More than `limit` fiches changed: reading them one by one is no cheaper than a rebuild. */
  tooMany: boolean;
}

/**
 * The search rows changed after `since`, read with the current generation in one statement,
 * hence one snapshot (migration 0010 tells why that is exact).
 */
export async function readIndexChanges(db: Db, since: bigint, limit: number): Promise<IndexChanges> {
  const { rows } = await sql<
    SearchRow & { state_generation: string; reset_generation: string; reference: string; changed_id: number | null }
  >`${PREPARED}select st.generation::text as state_generation, st.reset_generation::text as reset_generation,
      st.reference_generation::text as reference,
      c.action_id as changed_id, ${ROW_COLUMNS}
    from search_state st
      left join action_search_changes c on c.generation > ${String(since)}::bigint
      left join action_search s on s.action_id = c.action_id
    limit ${limit + 1}`.execute(db);
  const generation = BigInt(rows[0].state_generation);
  const changed = rows.filter((r) => r.changed_id !== null);
  return {
    generation,
    reference: BigInt(rows[0].reference),
    reset: BigInt(rows[0].reset_generation) > since,
    changedIds: changed.map((r) => r.changed_id as number),
    rows: changed.filter((r) => r.action_id !== null).map(toIndexRow),
    tooMany: changed.length > limit,
  };
}

/**
 * A parsed query's alternatives as rows: group, term, place among the term's alternatives (the
 * term itself, its completions, its synonyms), how to read it, its text, and the term's sign.
 */
function alternativeRows(query: ParsedQuery) {
  return query.flatMap((group, g) =>
    group.flatMap((term, t) => {
      const text = term.words.join(' ');
      const alternatives = [{ kind: term.words.length > 1 ? 'phrase' : 'plain', text }];
      if (term.prefix) alternatives.push({ kind: 'completions', text: term.words[0] });
      for (const synonym of term.synonyms) {
        alternatives.push({ kind: synonym.split(/\s+/).length > 1 ? 'phrase' : 'plain', text: synonym });
      }
      return alternatives.map((alternative, k) => ({ g, t, k, ...alternative, negated: term.negated }));
    }),
  );
}

/**
 * The French analysis of a query by PostgreSQL: the whole tsquery as text, and the tsquery of
 * each of `words` alone (to tell which are unknown) with its plain form (to correct it). One
 * statement of a fixed text whatever the query, prepared: the alternatives of each term are
 * joined by `||`, the terms of a group by `||`, the groups by `&&`, in their order, by the
 * operators' own functions (migration 0021), so the tsquery is the one `tsquery()` writes for
 * the plain search.
 */
export async function analyseQuery(
  db: Db,
  query: ParsedQuery,
  words: string[],
): Promise<{ query: string; words: string[]; plains: string[]; completions: string[] }> {
  const last = query.at(-1)?.at(-1);
  const completing = last?.prefix ? last.words[0] : '';
  const { rows } = await sql<{ query: string; words: string[]; plains: string[]; completions: string[] }>`${PREPARED}
    with alternative as (
      select a.g, a.t, a.k, a.negated, case a.kind
          when 'phrase' then phraseto_tsquery(${TEXT_CONFIG}, a.text)
          when 'plain' then plainto_tsquery(${TEXT_CONFIG}, a.text)
          else coalesce((select string_agg(quote_literal(c.stem), ' | ') from ${completionStems(sql`a.text`)} c)::tsquery,
            plainto_tsquery(${TEXT_CONFIG}, a.text))
        end as q
      from jsonb_to_recordset(${JSON.stringify(alternativeRows(query))}::jsonb)
        as a(g int, t int, k int, kind text, text text, negated boolean)
    ),
    term as (
      select g, t, case when bool_or(negated) then !! essaim_tsquery_or(q order by k) else essaim_tsquery_or(q order by k) end as q
      from alternative group by g, t
    ),
    grouped as (select g, essaim_tsquery_or(q order by t) as q from term group by g)
    select (select essaim_tsquery_and(q order by g) from grouped)::text as query,
      array(select plainto_tsquery(${TEXT_CONFIG}, w.word)::text
        from unnest(${words}::text[]) with ordinality w(word, n) order by w.n) as words,
      array(select unaccent(lower(w.word)) from unnest(${words}::text[]) with ordinality w(word, n) order by w.n)
        as plains,
      array(select c.stem from ${completionStems(completing)} c
        where ${completing} <> '' and c.stem <> all(array(select lexeme from unnest(to_tsvector(${TEXT_CONFIG}, ${completing})))))
        as completions`.execute(db);
  return rows[0];
}

/** Of these fiches, the ones whose document matches a tsquery (given as text): phrases are checked here. */
export async function confirmMatches(db: Db, actionIds: number[], query: string): Promise<number[]> {
  if (actionIds.length === 0) return [];
  const { rows } = await sql<{ action_id: number }>`${PREPARED}select action_id from action_search
    where action_id = any(${actionIds}::int[]) and document @@ ${query}::tsquery`.execute(db);
  return rows.map((r) => r.action_id);
}

/** Each word's lexemes in the French analysis, as `to_tsvector` gives them (none for a stop word). */
export async function lexemesOfWords(db: Db, words: string[]): Promise<Array<{ word: string; lexemes: string[] }>> {
  if (words.length === 0) return [];
  const { rows } = await sql<{ word: string; lexemes: string[] }>`${PREPARED}select w.word,
      array(select lexeme from unnest(to_tsvector(${TEXT_CONFIG}, w.word))) as lexemes
    from unnest(${words}::text[]) w(word)`.execute(db);
  return rows;
}

/**
 * The lexicon's most frequent words with their lexeme, the one `to_tsvector` gives each of them
 * alone (the lexicon keeps only words that have exactly one).
 */
export async function readWordStems(db: Db, limit: number): Promise<Array<{ word: string; stem: string }>> {
  const { rows } = await sql<{ word: string; stem: string }>`select word, stem from search_words
    order by documents desc, word limit ${limit}`.execute(db);
  return rows;
}

/**
 * The lexicon's words changed after generation `since` (every word for -1), with the current
 * generation, in one statement, hence one snapshot (migration 0022 tells why that is exact).
 */
export async function readLexiconChanges(db: Db, since: bigint): Promise<{ generation: bigint; words: LexiconWord[] }> {
  const { rows } = await sql<{ generation: string; word: string | null; plain: string; documents: number }>`${PREPARED}
    select st.generation::text as generation, w.word, w.plain, w.documents
    from search_state st left join search_words w on w.generation > ${String(since)}::bigint`.execute(db);
  return {
    generation: BigInt(rows[0].generation),
    words: rows.flatMap(({ word, plain, documents }) => (word === null ? [] : [{ word, plain, documents }])),
  };
}
