import type { Kysely } from 'kysely';
import { budgetRangeLabel, budgetRangeOrder, listStaleBudgets, refreshBudgets } from '../budgets/budgets.service.js';
import { AppError } from '../core/errors.js';
import { fichePath } from '../core/paths.js';
import { quote } from '../core/typography.js';
import { concurrencyOf, openScratchDatabase } from '../db/connect.js';
import type { Database, Db, VocabularyTableName } from '../db/database.js';
import { loadReferenceIndex, type ReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { FACET_NAMES, FACETS, type FacetFilters, type FacetName } from './facets.js';
import { readGenerations } from './index/index.repository.js';
import {
  type AnalysedQuery,
  analyse,
  countMatch,
  knowsWord,
  liveIndexOf,
  matchScope,
  medianRows,
} from './index/index.service.js';
import { KeptPages, type PageCounts, type PageState } from './index/kept-pages.js';
import { cardinality, type IndexMatch, type SearchIndex } from './index/search-index.js';
import { anyWanted, formatTsquery } from './index/text-search.js';
import { countWords } from './lexicon.js';
import {
  checkableTerms,
  countOrTerms,
  MAX_OR_TERMS,
  type ParsedQuery,
  parseQuery,
  rewriteQuery,
  SynonymIndex,
} from './query.js';
import { GenerationCache, LruMap } from './search.cache.js';
import {
  anyMatch,
  checkWords,
  countFacets,
  countQueryNodes,
  findSimilarActionIds,
  type Highlight,
  listMatchingActionIds,
  medianBudgets,
  readResultRows,
  type SearchScope,
  searchPage,
} from './search.repository.js';
import {
  addLexiconWords,
  analyseDocuments,
  copyTextAnalysis,
  listUnindexedActionIds,
  readSearchTexts,
  replaceSearchRows,
  type SearchTexts,
} from './search-rows.repository.js';
import { listSynonymGroups } from './synonyms.repository.js';

export const SORTS = ['relevance', 'recent', 'title', 'budget'] as const;
export type Sort = (typeof SORTS)[number];
export const PER_PAGE = 20;
export const MAX_PER_PAGE = 100;
export const MAX_QUERY_LENGTH = 300;

/** What to search: the text, the facet filters, the order and the page. */
export interface SearchRequest {
  q?: string;
  sort?: Sort;
  page?: number;
  perPage?: number;
  filters?: FacetFilters;
  /** Only the fiches of one structure (the structure page). */
  structureId?: number;
  /** Only these fiches (a user's favourites). */
  actionIds?: number[];
}

/** A vocabulary value shown with a result. */
export interface Term {
  code: string;
  label: string;
}

/** A fiche in a result list. */
export interface SearchItem {
  id: number;
  title: string;
  path: string;
  structure: { id: number; name: string; department: { code: string; name: string } };
  status: Term | null;
  dimension: Term | null;
  keywords: Term[];
  publics: Term[];
  /** An extract; words that matched the query are wrapped in MARK_START / MARK_END. */
  snippet: string;
}

/** One value of a facet, with the number of results it would give. */
export interface FacetValue extends Term {
  count: number;
  selected: boolean;
}

/** A page of results with everything the pages and the API show around it. */
export interface SearchResult {
  q: string;
  sort: Sort;
  page: number;
  perPage: number;
  pageCount: number;
  total: number;
  items: SearchItem[];
  facets: Record<FacetName, FacetValue[]>;
  filters: Required<FacetFilters>;
  /** A corrected query when a word is unknown and the correction finds fiches. */
  suggestion: string | null;
}

/** The fewest fiches stating an amount whose median budget is shown. */
export const MEDIAN_MIN_FICHES = 5;

/** The year facet's value for fiches without a publication date (imported ones). */
export const UNKNOWN_YEAR = 'inconnue';

function invalid(field: string, message: string): AppError {
  return new AppError('invalid_parameter', `Paramètre ${quote(field)} invalide : ${message}`, field);
}

function facetLabel(ref: ReferenceIndex, facet: FacetName, code: string): string | undefined {
  const def = FACETS[facet];
  if (def.vocabulary) return ref.terms[def.vocabulary].get(code)?.label;
  if (facet === 'department') return ref.departements.get(code)?.name;
  if (facet === 'budget') return budgetRangeLabel(code);
  if (facet === 'year') return code === UNKNOWN_YEAR ? 'Année inconnue' : /^\d{4}$/.test(code) ? code : undefined;
  return ref.regions.get(code);
}

/** Checks that every filter code exists, so that a typo gives a clear 400 rather than no results. */
function checkFilters(filters: FacetFilters, ref: ReferenceIndex): Required<FacetFilters> {
  const checked = {} as Required<FacetFilters>;
  for (const name of FACET_NAMES) {
    const codes = [...new Set(filters[name] ?? [])];
    const unknown = codes.find((code) => facetLabel(ref, name, code) === undefined);
    if (unknown !== undefined) throw invalid(name, `le code ${quote(unknown)} n’existe pas.`);
    checked[name] = codes;
  }
  return checked;
}

async function loadSynonyms(db: Db): Promise<SynonymIndex> {
  return new SynonymIndex((await listSynonymGroups(db)).map((g) => g.terms));
}

async function suggest(db: Db, q: string, query: ParsedQuery, synonyms: SynonymIndex): Promise<string | null> {
  const terms = checkableTerms(query);
  const checked = await checkWords(
    db,
    terms.map((t) => t.words[0]),
  );
  const replacements = checked.flatMap((c, i) =>
    !c.known && c.suggestion ? [{ term: terms[i], by: c.suggestion }] : [],
  );
  if (replacements.length === 0) return null;
  const suggestion = rewriteQuery(q, replacements);
  // The lexicon only grows, so make sure the correction still finds something.
  return (await anyMatch(db, parseQuery(suggestion, synonyms))) ? suggestion : null;
}

/**
 * The optimisations of the search that can be switched off, so that a benchmark can measure
 * each against the plain search and a test can check that none changes a result.
 */
export interface SearchTuning {
  /**
   * The in-process search index (ADR 0013) answers the match set, the counts and the order;
   * PostgreSQL still analyses the query and writes the snippets. Off: PostgreSQL does it all.
   */
  index: boolean;
  /** Reference data, synonyms, query shapes and suggestions kept until the next write. */
  memo: boolean;
  /** Facet counts of broad searches (many results, or no text) kept until the next write. */
  facetCache: boolean;
  /**
   * Whole result pages of broad searches kept until the next write: ranking tens of thousands
   * of fiches is the one cost no index removes. Callers must not change a result they get.
   */
  pageCache: boolean;
}

/** What the product runs with. */
export const DEFAULT_TUNING: SearchTuning = { index: true, memo: true, facetCache: true, pageCache: true };

// A query with more unknown words than this is no typo: no correction is looked for.
const MAX_CORRECTED_WORDS = 6;

// A search is worth keeping from this many results on, since ranking and counting read every
// matching row, or when it took this long anyway (a broad word narrowed by a filter still reads
// every row of the word); keeping a page costs a few tens of kilobytes.
const BROAD_RESULTS = 1000;
const SLOW_MS = 15;

const caches = new WeakMap<Db, GenerationCache>();
const referenceCaches = new WeakMap<Db, GenerationCache>();

/** A cache of this database handle; none inside a transaction, which may see its own writes. */
function cacheOf(db: Db, of = caches): GenerationCache | undefined {
  if (db.isTransaction) return undefined;
  const cache = of.get(db) ?? new GenerationCache();
  of.set(db, cache);
  return cache;
}

/** A search's request checked and turned into what the repository queries take. */
interface ResolvedSearch {
  ref: ReferenceIndex;
  filters: Required<FacetFilters>;
  parsed: ParsedQuery;
  hasText: boolean;
  scope: SearchScope & { synonyms: SynonymIndex };
  /** What identifies the scope in the cache: the same fiches whatever the order or page. */
  key: string;
  /** The search index at the generation read, when the search goes through it. */
  index?: SearchIndex;
  /** The generations read before anything was computed. */
  generations: { generation: bigint; reference: bigint };
  /** The query as PostgreSQL analysed it, for the index. */
  analysed?: AnalysedQuery;
  remember: <T>(
    on: boolean,
    key: string,
    compute: () => Promise<T>,
    keep?: (value: T, ms: number) => boolean,
  ) => Promise<T>;
}

async function resolveSearch(
  db: Db,
  request: Pick<SearchRequest, 'q' | 'filters' | 'structureId' | 'actionIds'>,
  tuning: SearchTuning,
): Promise<ResolvedSearch> {
  const q = (request.q ?? '').trim();
  if (q.length > MAX_QUERY_LENGTH) throw invalid('q', `${MAX_QUERY_LENGTH} caractères au plus.`);
  const useIndex = tuning.index && !db.isTransaction;
  const cache = Object.values(tuning).some(Boolean) ? cacheOf(db) : undefined;
  // Read before anything is computed, so that a value is never labelled newer than it is.
  const fresh = useIndex ? await liveIndexOf(db as Kysely<Database>).fresh() : undefined;
  const generations = fresh ?? (cache ? await readGenerations(db) : { generation: 0n, reference: 0n });
  const index = fresh?.index;
  const remember = <T>(
    on: boolean,
    key: string,
    compute: () => Promise<T>,
    keep?: (value: T, ms: number) => boolean,
  ) => (cache && on ? cache.get(generations.generation, key, compute, keep) : compute());
  // Vocabularies and synonyms change seldom: kept across the writes to fiches.
  const references = tuning.memo ? cacheOf(db, referenceCaches) : undefined;
  const rememberReference = <T>(key: string, compute: () => Promise<T>) =>
    references ? references.get(generations.reference, key, compute) : compute();

  const [ref, synonyms] = await Promise.all([
    rememberReference('reference', () => loadReferenceIndex(db)),
    rememberReference('synonyms', () => loadSynonyms(db)),
  ]);
  const filters = checkFilters(request.filters ?? {}, ref);
  const parsed = q ? parseQuery(q, synonyms) : [];
  if (countOrTerms(parsed) > MAX_OR_TERMS) {
    throw invalid('q', `une recherche relie au plus ${MAX_OR_TERMS} termes par OR.`);
  }
  let analysed: AnalysedQuery | undefined;
  let hasText: boolean;
  if (index) {
    analysed =
      parsed.length > 0
        ? await analyse(
            db,
            parsed,
            checkableTerms(parsed).map((t) => t.words[0]),
          )
        : undefined;
    hasText = Boolean(analysed?.tree);
  } else {
    hasText = parsed.length > 0 && (await remember(tuning.memo, `nodes:${q}`, () => countQueryNodes(db, parsed))) > 0;
  }
  const scope = {
    query: hasText ? parsed : undefined,
    filters,
    structureId: request.structureId,
    actionIds: request.actionIds,
    synonyms,
  };
  const key = JSON.stringify([hasText ? q : '', filters, request.structureId ?? null, request.actionIds ?? null]);
  return { ref, filters, parsed, hasText, scope, key, remember, index, analysed, generations };
}

/** What a snippet highlights, from the query PostgreSQL analysed. */
function highlightOf(analysed: AnalysedQuery | undefined, sources: Highlight['sources']): Highlight | undefined {
  if (!analysed?.tree) return undefined;
  const any = anyWanted(analysed.tree);
  return { whole: analysed.text, any: any && any !== analysed.tree ? formatTsquery(any) : null, sources };
}

/** The scope of a resolved search for the index. */
function indexScope(resolved: ResolvedSearch) {
  const { scope, analysed, hasText } = resolved;
  return { ...scope, query: hasText ? analysed : undefined };
}

/** A correction of the unknown words, looked up in PostgreSQL's lexicon, checked on the index. */
async function suggestFromIndex(
  db: Db,
  q: string,
  resolved: ResolvedSearch,
  index: SearchIndex,
): Promise<string | null> {
  const terms = checkableTerms(resolved.parsed);
  const words = resolved.analysed?.words ?? [];
  const unknown = terms.filter((_, i) => !knowsWord(index, words[i] ?? null));
  if (unknown.length === 0 || unknown.length > MAX_CORRECTED_WORDS) return null;
  const checked = await checkWords(
    db,
    unknown.map((t) => t.words[0]),
  );
  const replacements = checked.flatMap((c, i) =>
    c.suggestion && c.suggestion.toLowerCase() !== unknown[i].words[0].toLowerCase()
      ? [{ term: unknown[i], by: c.suggestion }]
      : [],
  );
  if (replacements.length === 0) return null;
  const suggestion = rewriteQuery(q, replacements);
  const analysed = await analyse(db, parseQuery(suggestion, resolved.scope.synonyms));
  if (!analysed.tree) return null;
  const match = await matchScope(db, index, { query: analysed, filters: {} });
  return cardinality(match.matched) > 0 ? suggestion : null;
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
  const worthKeeping = (total: number, ms: number) => total >= BROAD_RESULTS || ms >= SLOW_MS;
  // The index ranks its own way: its pages are not the plain search's.
  const pageKey = `page:${JSON.stringify([scopeKey, q, sort, page, perPage, Boolean(index)])}`;
  return remember(
    tuning.pageCache,
    pageKey,
    async (): Promise<SearchResult> => {
      const offset = (page - 1) * perPage;
      const match = index ? await matchScope(db, index, indexScope(resolved)) : undefined;
      // A page computed before the last writes may still hold, or be mended by them.
      const state = index && match && tuning.pageCache ? pageState(resolved, index, match) : undefined;
      const pageRequest = { filters, order: sort, reach: offset + perPage };
      const kept = state && keptPagesOf(db).get(pageKey, state, pageRequest);
      if (kept && 'value' in kept) return kept.value;
      let counted: PageCounts | undefined = kept?.counts;
      const fromIndex = async (index: SearchIndex, match: IndexMatch) => {
        if (!counted) {
          const { rows, total, results } = countMatch(index, match, filters);
          counted = { rows, total, results, top: index.topSlots(results, match, sort, pageRequest.reach) };
        }
        const ids = index.actionIdsAt(counted.top.slice(offset));
        const highlight = highlightOf(resolved.analysed, index.snippetSources(ids, match));
        return { counts: counted.rows, total: counted.total, rows: await readIndexedRows(db, index, ids, highlight) };
      };
      const countThenRead = async () => {
        const counts = await remember(
          tuning.facetCache,
          `facets:${scopeKey}`,
          () => countFacets(db, scope),
          (counts, ms) => !hasText || worthKeeping(totalOf(counts), ms),
        );
        // The number of matches chooses the page query's plan (see searchPage).
        const total = totalOf(counts);
        const rows = offset < total ? await searchPage(db, scope, sort, perPage, offset, total) : [];
        return { counts, total, rows };
      };
      const [{ counts, total, rows }, suggestion] = await Promise.all([
        index && match ? fromIndex(index, match) : countThenRead(),
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
      if (state && counted) keptPagesOf(db).set(pageKey, state, counted, result);
      return result;
    },
    (result, ms) => worthKeeping(result.total, ms),
  );
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
function pageState(resolved: ResolvedSearch, index: SearchIndex, match: IndexMatch): PageState | undefined {
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

// Result rows kept across writes, by fiche version and highlighted query: a write changes one
// fiche, and the rows and snippets of the others, the one cost left to PostgreSQL in a search,
// stay true. About 2 kB a row.
const ROWS_KEPT = 5000;
const rowCaches = new WeakMap<SearchIndex, LruMap<string, ResultRow>>();

/**
 * These fiches' result rows, in this order, those of an unchanged fiche and query from memory.
 * Keyed by the fiche's version in the index, so a change to the fiche or its structure (which
 * reindexes it) is never hidden; a rebuilt index starts afresh.
 */
async function readIndexedRows(db: Db, index: SearchIndex, ids: number[], highlight?: Highlight) {
  let cache = rowCaches.get(index);
  if (!cache) {
    cache = new LruMap(ROWS_KEPT);
    rowCaches.set(index, cache);
  }
  const query = highlight ? `${highlight.whole}\u0000${highlight.any ?? ''}` : '';
  const keys = ids.map((id, i) => `${index.versionOf(id)}\u0000${highlight?.sources[i] ?? ''}\u0000${query}`);
  const found = keys.map((key) => cache.get(key));
  const missing = ids.flatMap((_id, i) => (found[i] ? [] : [i]));
  if (missing.length > 0) {
    const read = await readResultRows(
      db,
      missing.map((i) => ids[i]),
      highlight && { ...highlight, sources: missing.map((i) => highlight.sources[i]) },
    );
    const byId = new Map(read.map((row) => [row.id, row]));
    for (const i of missing) {
      const row = byId.get(ids[i]);
      if (row) cache.set(keys[i], row);
      found[i] = row;
    }
  }
  // A fiche unpublished since the index's generation has no row any more.
  return found.filter((row): row is ResultRow => row !== undefined);
}

function totalOf(counts: Array<{ facet: string; n: number }>): number {
  return counts.find((c) => c.facet === 'total')?.n ?? 0;
}

type ResultRow = Awaited<ReturnType<typeof readResultRows>>[number];

function toItem(row: ResultRow, ref: ReferenceIndex): SearchItem {
  const term = (table: VocabularyTableName, code: string): Term => ({
    code,
    label: ref.terms[table].get(code)?.label ?? code,
  });
  return {
    id: row.id,
    title: row.title,
    path: fichePath(row.id, row.title),
    structure: {
      id: row.structure_id,
      name: row.structure_name,
      department: { code: row.departement_code, name: row.departement_name },
    },
    status: row.status_code ? term('statuses', row.status_code) : null,
    dimension: row.dimension_code ? term('dimensions', row.dimension_code) : null,
    keywords: row.keyword_codes.map((c) => term('keywords', c)),
    publics: row.public_codes.map((c) => term('publics', c)),
    snippet: row.headline ?? shorten(row.summary ?? '', 240),
  };
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  return `${flat.slice(0, max).replace(/\s+\S*$/, '')} …`;
}

function facetOrder(ref: ReferenceIndex, facet: FacetName, code: string): number {
  const def = FACETS[facet];
  if (facet === 'budget') return budgetRangeOrder(code);
  return def.vocabulary ? (ref.terms[def.vocabulary].get(code)?.sort_order ?? 0) : 0;
}

function buildFacets(
  counts: Array<{ facet: string; code: string | null; n: number }>,
  filters: Required<FacetFilters>,
  ref: ReferenceIndex,
): Record<FacetName, FacetValue[]> {
  const facets = {} as Record<FacetName, FacetValue[]>;
  for (const name of FACET_NAMES) {
    const values = new Map<string, number>();
    for (const c of counts) if (c.facet === name && c.code !== null) values.set(c.code, c.n);
    // A selected value stays visible with its 0, so that it can be unticked.
    for (const code of filters[name]) if (!values.has(code)) values.set(code, 0);
    facets[name] = [...values].map(([code, count]) => ({
      code,
      label: facetLabel(ref, name, code) ?? code,
      count,
      selected: filters[name].includes(code),
    }));
    facets[name].sort((a, b) =>
      FACETS[name].byCount
        ? b.count - a.count || a.label.localeCompare(b.label, 'fr')
        : name === 'department'
          ? a.code.localeCompare(b.code)
          : name === 'year'
            ? // The latest year first, « année inconnue » last.
              Number(a.code === UNKNOWN_YEAR) - Number(b.code === UNKNOWN_YEAR) || b.code.localeCompare(a.code)
            : facetOrder(ref, name, a.code) - facetOrder(ref, name, b.code) || a.label.localeCompare(b.label, 'fr'),
    );
  }
  return facets;
}

/** Up to `limit` fiches like this one, as result items, best first. */
export async function similarActions(db: Db, actionId: number, limit = 5): Promise<SearchItem[]> {
  const ids = await findSimilarActionIds(db, actionId, limit);
  if (ids.length === 0) return [];
  const [ref, rows] = await Promise.all([loadReferenceIndex(db), readResultRows(db, ids)]);
  return rows.map((row) => toItem(row, ref));
}

/** How an indexing may spread the analysis of the texts, the costly part of a search row. */
export interface IndexOptions {
  /**
   * A handle outside the caller's transaction for the analysis, a pure computation that needs
   * no row of it; the transaction's own connection when absent.
   */
  analysis?: Db;
  /** How many analyses may be in flight at once on `analysis`: one per core it may use. */
  parallel?: number;
  /** Called as the search rows are written: fiches done, fiches in all. */
  onProgress?: (done: number, total: number) => void;
}

/** Where an import has its texts analysed beside its transaction; `close` when it is done. */
export interface Analysis {
  options: Pick<IndexOptions, 'analysis' | 'parallel'>;
  close(): Promise<void>;
}

/**
 * Where a large write has its texts analysed while its transaction `trx` on `db` goes on: the
 * pool's other connections on PostgreSQL, one per core; on PGlite, whose one session the
 * transaction holds, a scratch PGlite in a worker thread, set up like the database.
 */
export async function openAnalysis(db: Kysely<Database>, trx: Db): Promise<Analysis> {
  const parallel = concurrencyOf(db);
  if (parallel > 1) return { options: { analysis: db, parallel }, close: async () => {} };
  const scratch = await openScratchDatabase();
  try {
    await copyTextAnalysis(trx, scratch.db);
  } catch (error) {
    await scratch.close();
    throw error;
  }
  // Two in flight, so that the scratch database never waits for the next chunk.
  return { options: { analysis: scratch.db, parallel: 2 }, close: () => scratch.close() };
}

// Fiches read, analysed and written together.
const INDEX_CHUNK = 500;

type Analysed = { ids: number[]; texts: SearchTexts[]; documents: Promise<string[]> };

/**
 * Indexes fiches as a caller writes them, a chunk at a time: the budget and the texts are read
 * in the caller's transaction, the texts analysed (on `analysis` when given) while the caller
 * goes on, and the search row written at a later call. `finish` writes what is left and adds
 * the words to the lexicon; nothing is indexed until it has returned.
 */
export class SearchIndexer {
  private readonly words = new Map<string, number>();
  private readonly running: Analysed[] = [];
  private readonly parallel: number;
  private added = 0;
  private written = 0;

  /** `db` is the transaction that writes the fiches. */
  constructor(
    private readonly db: Db,
    private readonly options: IndexOptions = {},
  ) {
    this.parallel = options.analysis ? Math.max(1, options.parallel ?? 1) : 1;
  }

  /** Reads these fiches' budgets and texts, and has their texts analysed. */
  async add(actionIds: number[]): Promise<void> {
    for (let i = 0; i < actionIds.length; i += INDEX_CHUNK) {
      const ids = actionIds.slice(i, i + INDEX_CHUNK);
      // The budget first: the search row carries its total and class.
      await refreshBudgets(this.db, ids);
      const texts = await readSearchTexts(this.db, ids);
      countWords(
        texts.map((t) => t.all_text),
        this.words,
      );
      const documents = analyseDocuments(this.options.analysis ?? this.db, texts);
      // Awaited later; a failure meanwhile must not count as unhandled.
      documents.catch(() => {});
      this.running.push({ ids, texts, documents });
      this.added += ids.length;
      if (this.running.length >= this.parallel) await this.writeOldest();
    }
  }

  /** Writes the search rows still being analysed, then the lexicon's new words. */
  async finish(): Promise<void> {
    while (this.running.length > 0) await this.writeOldest();
    await addLexiconWords(this.db, [...this.words.keys()], [...this.words.values()]);
  }

  private async writeOldest(): Promise<void> {
    const { ids, texts, documents } = this.running.shift() as Analysed;
    const analysed = await documents;
    await replaceSearchRows(
      this.db,
      ids,
      texts.map((t, i) => ({ texts: t, document: analysed[i] })),
    );
    this.written += ids.length;
    this.options.onProgress?.(this.written, this.added);
  }
}

/**
 * Brings the budgets and search rows of these fiches up to date, and adds their words to the
 * lexicon; call it in the transaction that changed them.
 */
export async function indexActions(db: Db, actionIds: number[], options: IndexOptions = {}): Promise<void> {
  const indexer = new SearchIndexer(db, options);
  await indexer.add(actionIds);
  await indexer.finish();
}

/**
 * Indexes every fiche that has no search row yet, and those whose budget an older extractor
 * read; returns how many there were.
 */
export async function indexUnindexedActions(db: Db): Promise<number> {
  let count = 0;
  for (let stale = await listStaleBudgets(db, 1000); stale.length > 0; stale = await listStaleBudgets(db, 1000)) {
    await indexActions(db, stale);
    count += stale.length;
  }
  const ids = await listUnindexedActionIds(db);
  await indexActions(db, ids);
  return count + ids.length;
}

/** What a statistics page shows of a search: counts among its results, never drafts. */
export interface ResultCounts {
  q: string;
  filters: Required<FacetFilters>;
  total: number;
  /** For each facet, how many results have each value (every filter applied, its own included). */
  counts: Record<FacetName, FacetValue[]>;
  /**
   * The median of the stated budgets, overall and by keyword, with how many fiches state one;
   * a median of fewer than `MEDIAN_MIN_FICHES` fiches is no statistic and is left out.
   */
  medians: {
    withAmount: number;
    overall: { median: number; count: number } | null;
    byKeyword: Array<FacetValue & { median: number }>;
  };
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
