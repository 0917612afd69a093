import type { Kysely } from 'kysely';
import { localWritesOf } from '../../db/connect.js';
import type { Database, Db } from '../../db/database.js';
import { FACET_NAMES, type FacetFilters, type FacetName } from '../facets.js';
import type { ParsedQuery } from '../query.js';
import { cardinality } from './bits.js';
import { analyseQuery, confirmMatches, readLexiconChanges } from './index.repository.js';
import { LiveIndex } from './live-index.js';
import type { IndexMatch, SearchIndex } from './search-index.js';
import { parseTsquery, type QueryNode } from './text-search.js';
import { TypoLexicon } from './typo-lexicon.js';

const indexes = new WeakMap<Kysely<Database>, LiveIndex>();

/** The search index of a database handle, built at its first use. */
export function liveIndexOf(db: Kysely<Database>): LiveIndex {
  let index = indexes.get(db);
  if (!index) {
    index = new LiveIndex(db, localWritesOf(db));
    indexes.set(db, index);
  }
  return index;
}

const lexicons = new WeakMap<Db, { lexicon: TypoLexicon; reading?: Promise<void> }>();

/**
 * The process's copy of the typo suggestions' lexicon for a database handle (none inside a
 * transaction), up to date with search generation `at` at least: read whole at its first use,
 * then only the words changed since.
 */
export async function typoLexiconOf(db: Db, at: bigint): Promise<TypoLexicon> {
  let held = lexicons.get(db);
  if (!held) {
    held = { lexicon: new TypoLexicon() };
    lexicons.set(db, held);
  }
  const { lexicon } = held;
  while (lexicon.generation < at) {
    // One read at a time, so that changes are applied in their order.
    const entry = held;
    entry.reading ??= readLexiconChanges(db, lexicon.generation)
      .then(({ generation, words }) => lexicon.apply(words, generation))
      .finally(() => {
        entry.reading = undefined;
      });
    await entry.reading;
  }
  return lexicon;
}

/** A query as PostgreSQL analysed it, for the index. */
export interface AnalysedQuery {
  /** The tsquery's text form, for the checks left to PostgreSQL. */
  text: string;
  /** null when only stop words were typed: the query searches everything. */
  tree: QueryNode | null;
  /** The lexemes of each word of `words` given to `analyse`. */
  words: Array<QueryNode | null>;
  /** Each word of `words` lower-cased and without accents, as the lexicon's `plain`. */
  plains: string[];
  /** The stems the last word stands for as the start of longer words. */
  completions: ReadonlySet<string>;
}

/**
 * Analyses a parsed query (and some of its words) in PostgreSQL, French stemming and all. Not
 * kept: the completions of the last word grow with the lexicon, so a kept analysis would miss
 * the words of fiches published since.
 */
export async function analyse(db: Db, query: ParsedQuery, words: string[] = []): Promise<AnalysedQuery> {
  const raw = await analyseQuery(db, query, words);
  return {
    text: raw.query,
    tree: parseTsquery(raw.query),
    words: raw.words.map(parseTsquery),
    plains: raw.plains,
    completions: new Set(raw.completions),
  };
}

/** Whether some fiche holds one of the lexemes of a word (its stem). */
export function knowsWord(index: SearchIndex, word: QueryNode | null): boolean {
  if (!word) return true;
  const lexemes: string[] = [];
  const walk = (node: QueryNode): void => {
    if (node.kind === 'lexeme') lexemes.push(node.lexeme);
    else if (node.kind === 'not') walk(node.child);
    else node.children.forEach(walk);
  };
  walk(word);
  return lexemes.some((l) => index.knows(l));
}

/** The scope of an indexed search. */
export interface IndexScope {
  query?: AnalysedQuery;
  filters: FacetFilters;
  structureId?: number;
  actionIds?: number[];
}

/**
 * The fiches matching a scope's text and scope, facets aside; phrases, which the index cannot
 * check, are checked by PostgreSQL on the candidates.
 */
export async function matchScope(db: Db, index: SearchIndex, scope: IndexScope): Promise<IndexMatch> {
  const match = index.match({
    text: scope.query?.tree ?? undefined,
    completions: scope.query?.completions,
    structureId: scope.structureId,
    actionIds: scope.actionIds,
  });
  if (scope.query && cardinality(match.unsure) > 0) {
    index.confirm(match, await confirmMatches(db, index.idsOf(match.unsure), scope.query.text));
  }
  return match;
}

/** Facet counts in the shape the PostgreSQL search gives them: one row per value, and the total. */
export type CountRows = Array<{ facet: FacetName | 'total'; code: string | null; n: number }>;

/** The total and facet counts of a match, with the results' slots. */
export function countMatch(index: SearchIndex, match: IndexMatch, filters: FacetFilters, within = false) {
  const { total, results, counts } = index.count(match, filters, within);
  const rows: CountRows = [{ facet: 'total', code: null, n: total }];
  for (const name of FACET_NAMES) for (const [code, n] of counts[name]) rows.push({ facet: name, code, n });
  return { rows, total, results };
}

/** The median of a list of amounts, as percentile_cont(0.5) computes it. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median budgets of the results, overall (code null) and by keyword, as `medianBudgets` gives them. */
export function medianRows(index: SearchIndex, results: Uint32Array) {
  const { all, byKeyword } = index.budgetsOf(results);
  const rows: Array<{ code: string | null; median: number; count: number }> = [];
  if (all.length > 0) rows.push({ code: null, median: median(all), count: all.length });
  for (const [code, amounts] of byKeyword) rows.push({ code, median: median(amounts), count: amounts.length });
  return rows;
}
