import type { Kysely } from 'kysely';
import type { Database, Db } from '../db/database.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { countMatch, knowsWord, liveIndexOf, matchScope, medianRows, typoLexiconOf } from './index/index.service.js';
import { KeptPages, type PageCounts, type PageState } from './index/kept-pages.js';
import type { BuildReport } from './index/live-index.js';
import type { IndexMatch, SearchIndex } from './index/search-index.js';
import { readIndexedRows } from './result-rows.js';
import { readResultRows } from './result-rows.repository.js';
import {
  DEFAULT_TUNING,
  MAX_PER_PAGE,
  MEDIAN_MIN_FICHES,
  PER_PAGE,
  type ResultCounts,
  type SearchItem,
  type SearchRequest,
  type SearchResult,
  type SearchTuning,
  type Sort,
} from './search.model.js';
import {
  countFacets,
  findSimilarActionIds,
  listMatchingActionIds,
  medianBudgets,
  searchPage,
} from './search.repository.js';
import {
  highlightOf,
  indexScope,
  invalid,
  type ResolvedSearch,
  resolveSearch,
  suggest,
  suggestFromIndex,
} from './search.resolve.js';
import { buildFacets, facetLabel, toItem, totalOf } from './search.results.js';
import { warmLexemes } from './word-lexemes.js';

// A search is worth keeping from this many results on, since ranking and counting read every
// matching row, or when it took this long anyway (a broad word narrowed by a filter still reads
// every row of the word); keeping a page costs a few tens of kilobytes.
const BROAD_RESULTS = 1000;
const SLOW_MS = 15;

/**
 * Makes ready what a first search needs, before the first visitor: the search index, the
 * lexemes of the lexicon's frequent words for the snippets and the lexicon of the typo
 * corrections (a failure of either only costs time).
 */
export async function warmSearch(db: Db): Promise<BuildReport> {
  const [build] = await Promise.all([
    liveIndexOf(db as Kysely<Database>).warm(),
    warmLexemes(db).catch(() => undefined),
    // A failed read is tried again at the first search that needs a correction.
    typoLexiconOf(db, 0n).catch(() => undefined),
  ]);
  return build;
}

/** The one search of the product: pages, API, exports and statistics all call it. */
export async function search(db: Db, request: SearchRequest, tuning = DEFAULT_TUNING): Promise<SearchResult> {
  const q = (request.q ?? '').trim();
  const perPage = request.perPage ?? PER_PAGE;
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    throw invalid('perPage', `un nombre entier de 1 à ${MAX_PER_PAGE} est attendu.`);
  }
  const page = request.page ?? 1;
  if (!Number.isInteger(page) || page < 1) throw invalid('page', 'un nombre entier à partir de 1 est attendu.');

  const resolved = await resolveSearch(db, request, tuning);
  const { remember, ref, filters, parsed, hasText, scope, key: scopeKey, index } = resolved;
  // Without text there is no relevance: the latest fiches come first.
  const sort: Sort =
    request.sort === 'relevance' && !hasText ? 'recent' : (request.sort ?? (hasText ? 'relevance' : 'recent'));
  // The index ranks its own way: its pages are not the plain search's.
  const pageKey = `page:${JSON.stringify([scopeKey, q, sort, page, perPage, Boolean(index)])}`;
  return remember(
    tuning.pageCache,
    pageKey,
    async (): Promise<SearchResult> => {
      const offset = (page - 1) * perPage;
      let matching: Promise<IndexMatch> | undefined;
      const matchOf = (index: SearchIndex) => (matching ??= matchScope(db, index, indexScope(resolved)));
      // A page computed before the last writes may still hold, or be mended by them.
      const state = index && tuning.pageCache ? pageState(resolved, index, () => matchOf(index)) : undefined;
      const pageRequest = { filters, order: sort, reach: offset + perPage };
      const kept = state && (await keptPagesOf(db).get(pageKey, state, pageRequest));
      if (kept && 'value' in kept) return kept.value;
      const match = index ? await matchOf(index) : undefined;
      let counted: PageCounts | undefined = kept?.counts;
      const fromIndex = async (index: SearchIndex, match: IndexMatch) => {
        const top = counted?.top ?? index.topSlots(index.results(match, filters), match, sort, pageRequest.reach);
        const ids = index.actionIdsAt(top.slice(offset));
        const highlight = highlightOf(resolved.analysed);
        const reading = readIndexedRows(
          db,
          index,
          ids,
          highlight && { ...highlight, sources: index.snippetSources(ids, match) },
        );
        if (!counted) counted = { ...(await afterSending(reading, () => countMatch(index, match, filters))), top };
        return { counts: counted.rows, total: counted.total, rows: await reading };
      };
      const [{ counts, total, rows }, suggestion] = await Promise.all([
        index && match ? fromIndex(index, match) : pageFromDatabase(db, resolved, tuning, sort, perPage, offset),
        !hasText
          ? null
          : index
            ? suggestFromIndex(db, q, resolved, index)
            : remember(tuning.memo, `suggestion:${q}`, () => suggest(db, q, parsed, scope.synonyms)),
      ]);
      const result: SearchResult = {
        q,
        sort,
        page,
        perPage,
        pageCount: Math.max(1, Math.ceil(total / perPage)),
        total,
        items: rows.map((row) => toItem(row, ref)),
        facets: buildFacets(counts, filters, ref),
        filters,
        suggestion,
      };
      if (state && match && counted) keptPagesOf(db).set(pageKey, state, match, counted, result);
      return result;
    },
    (result, ms) => worthKeeping(result.total, ms),
  );
}

function worthKeeping(total: number, ms: number): boolean {
  return total >= BROAD_RESULTS || ms >= SLOW_MS;
}

/** A page without the index: its facets counted, then its rows read, by PostgreSQL. */
async function pageFromDatabase(
  db: Db,
  resolved: ResolvedSearch,
  tuning: SearchTuning,
  sort: Sort,
  perPage: number,
  offset: number,
) {
  const { remember, scope, key, hasText } = resolved;
  const counts = await remember(
    tuning.facetCache,
    `facets:${key}`,
    () => countFacets(db, scope),
    (counts, ms) => !hasText || worthKeeping(totalOf(counts), ms),
  );
  // The number of matches chooses the page query's plan (see searchPage).
  const total = totalOf(counts);
  const rows = offset < total ? await searchPage(db, scope, sort, perPage, offset, total) : [];
  return { counts, total, rows };
}

/**
 * Runs `work` once `query` is on its way to the database (after a turn of the event loop), so
 * that both proceed at once: the facets are counted while the rows are read. A catch-up of the
 * index meanwhile only adds or retires slots, so a match's counts stay those of its generation.
 */
async function afterSending<T>(query: Promise<unknown>, work: () => T): Promise<T> {
  // The caller awaits the query; a failure before then must not count as unhandled.
  query.catch(() => {});
  await new Promise((resolve) => setImmediate(resolve));
  return work();
}

const keptPages = new WeakMap<Db, KeptPages<SearchResult>>();

function keptPagesOf(db: Db): KeptPages<SearchResult> {
  let kept = keptPages.get(db);
  if (!kept) {
    kept = new KeptPages(liveIndexOf(db as Kysely<Database>));
    keptPages.set(db, kept);
  }
  return kept;
}

/**
 * What tells whether a kept page still holds for this search. None when a word of the query
 * is unknown: a fiche published elsewhere may then make a correction worth suggesting.
 */
function pageState(
  resolved: ResolvedSearch,
  index: SearchIndex,
  match: () => Promise<IndexMatch>,
): PageState | undefined {
  const { analysed, generations } = resolved;
  if (analysed && !analysed.words.every((word) => knowsWord(index, word))) return undefined;
  return {
    index,
    generation: generations.generation,
    reference: generations.reference,
    analysis: analysed ? JSON.stringify([analysed.text, [...analysed.completions].sort()]) : '',
    match,
  };
}

// Enough of a correction's results to see that it is the search meant.
const SUGGESTED_SHOWN = 5;

/** A search, and when it finds nothing but its correction does, the correction's first results. */
export async function searchOrSuggest(
  db: Db,
  request: SearchRequest,
): Promise<{ result: SearchResult; suggested?: SearchResult }> {
  const result = await search(db, request);
  if (result.total > 0 || !result.suggestion) return { result };
  const suggested = await search(db, { ...request, q: result.suggestion, page: 1, perPage: SUGGESTED_SHOWN });
  return { result, suggested };
}

/** Up to `limit` fiches like this one, as result items, best first. */
export async function similarActions(db: Db, actionId: number, limit = 5): Promise<SearchItem[]> {
  const ids = await findSimilarActionIds(db, actionId, limit);
  if (ids.length === 0) return [];
  const [ref, rows] = await Promise.all([loadReferenceIndex(db), readResultRows(db, ids)]);
  return rows.map((row) => toItem(row, ref));
}

/** Counts among the results of a search, for statistics; the same request as `search`. */
export async function countResults(db: Db, request: SearchRequest, tuning = DEFAULT_TUNING): Promise<ResultCounts> {
  const resolved = await resolveSearch(db, request, tuning);
  const { remember, ref, filters, scope, key, index } = resolved;
  const q = (request.q ?? '').trim();
  const fromIndex = async (index: SearchIndex) => {
    const { rows, results } = countMatch(index, await matchScope(db, index, indexScope(resolved)), filters, true);
    return [rows, medianRows(index, results)] as const;
  };
  const [counts, medians] = index
    ? await fromIndex(index)
    : await Promise.all([
        remember(tuning.facetCache, `within:${key}`, () => countFacets(db, scope, true)),
        remember(tuning.facetCache, `medians:${key}`, () => medianBudgets(db, scope)),
      ]);
  const overall = medians.find((m) => m.code === null);
  const quotable = (m: { count: number }) => m.count >= MEDIAN_MIN_FICHES;
  return {
    q,
    filters,
    total: totalOf(counts),
    counts: buildFacets(counts, filters, ref),
    medians: {
      withAmount: overall?.count ?? 0,
      overall: overall && quotable(overall) ? { median: overall.median, count: overall.count } : null,
      byKeyword: medians
        .flatMap((m) =>
          m.code === null || !quotable(m)
            ? []
            : [
                {
                  code: m.code,
                  label: facetLabel(ref, 'keyword', m.code) ?? m.code,
                  count: m.count,
                  selected: false,
                  median: m.median,
                },
              ],
        )
        .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'fr')),
    },
  };
}

/**
 * The ids of every fiche a search finds, batch by batch in id order, for exports of any size.
 * The request is checked before it resolves, so that a bad filter is an error before any output.
 */
export async function matchingActionIds(db: Db, request: SearchRequest, batch = 500): Promise<AsyncIterable<number[]>> {
  const resolved = await resolveSearch(db, request, DEFAULT_TUNING);
  const { scope, index } = resolved;
  if (index) {
    // The whole set at the generation read, so that an export is one consistent list.
    const match = await matchScope(db, index, indexScope(resolved));
    const ids = index.idsOf(countMatch(index, match, scope.filters).results).sort((a, b) => a - b);
    return (async function* () {
      for (let i = 0; i < ids.length; i += batch) yield ids.slice(i, i + batch);
    })();
  }
  return (async function* () {
    for (let after = 0; ; ) {
      const ids = await listMatchingActionIds(db, scope, after, batch);
      if (ids.length === 0) return;
      yield ids;
      after = ids[ids.length - 1];
    }
  })();
}
