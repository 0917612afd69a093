import type { Kysely } from 'kysely';
import { AppError } from '../core/errors.js';
import { quote } from '../core/typography.js';
import type { Database, Db } from '../db/database.js';
import { loadReferenceIndex, type ReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { FACET_NAMES, type FacetFilters } from './facets.js';
import { cardinality } from './index/bits.js';
import { readGenerations } from './index/index.repository.js';
import {
  type AnalysedQuery,
  analyse,
  knowsWord,
  liveIndexOf,
  matchScope,
  typoLexiconOf,
} from './index/index.service.js';
import type { SearchIndex } from './index/search-index.js';
import { anyWanted } from './index/text-search.js';
import {
  checkableTerms,
  countOrTerms,
  MAX_OR_TERMS,
  type ParsedQuery,
  parseQuery,
  rewriteQuery,
  SynonymIndex,
} from './query.js';
import { GenerationCache } from './search.cache.js';
import { MAX_QUERY_LENGTH, type SearchRequest, type SearchTuning } from './search.model.js';
import { anyMatch, checkWords, countQueryNodes, type SearchScope } from './search.repository.js';
import { facetLabel } from './search.results.js';
import { listSynonymGroups } from './synonyms.repository.js';
import type { Highlight } from './word-lexemes.js';

// A search request checked and resolved: the generations read, the reference data and synonyms,
// the query parsed and analysed, the scope; and the correction of unknown words.

/** The French error of a search parameter, naming it. */
export function invalid(field: string, message: string): AppError {
  return new AppError('invalid_parameter', `Paramètre ${quote(field)} invalide : ${message}`, field);
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

/** A correction of the unknown words from PostgreSQL's lexicon, kept only if it finds fiches (the plain search). */
export async function suggest(db: Db, q: string, query: ParsedQuery, synonyms: SynonymIndex): Promise<string | null> {
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

// A query with more unknown words than this is no typo: no correction is looked for.
const MAX_CORRECTED_WORDS = 6;

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
export interface ResolvedSearch {
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

/**
 * The reference data and synonyms (through `rememberReference`), the filters checked, the query
 * parsed and, for the index, analysed by PostgreSQL.
 */
async function understandRequest(
  db: Db,
  request: Pick<SearchRequest, 'filters'>,
  q: string,
  analysing: boolean,
  rememberReference: <T>(key: string, compute: () => Promise<T>) => Promise<T>,
) {
  const [ref, synonyms] = await Promise.all([
    rememberReference('reference', () => loadReferenceIndex(db)),
    rememberReference('synonyms', () => loadSynonyms(db)),
  ]);
  const filters = checkFilters(request.filters ?? {}, ref);
  const parsed = q ? parseQuery(q, synonyms) : [];
  if (countOrTerms(parsed) > MAX_OR_TERMS) {
    throw invalid('q', `une recherche relie au plus ${MAX_OR_TERMS} termes par OR.`);
  }
  const words = checkableTerms(parsed).map((t) => t.words[0]);
  const analysed: AnalysedQuery | undefined =
    analysing && parsed.length > 0 ? await analyse(db, parsed, words) : undefined;
  return { ref, synonyms, filters, parsed, analysed };
}

/**
 * Checks a request and resolves it: the generations first, then the reference data and synonyms
 * (kept until they change), the query parsed and, with the index, analysed by PostgreSQL.
 */
export async function resolveSearch(
  db: Db,
  request: Pick<SearchRequest, 'q' | 'filters' | 'structureId' | 'actionIds'>,
  tuning: SearchTuning,
): Promise<ResolvedSearch> {
  const q = (request.q ?? '').trim();
  if (q.length > MAX_QUERY_LENGTH) throw invalid('q', `${MAX_QUERY_LENGTH} caractères au plus.`);
  const useIndex = tuning.index && !db.isTransaction;
  const cache = Object.values(tuning).some(Boolean) ? cacheOf(db) : undefined;
  const live = useIndex ? liveIndexOf(db as Kysely<Database>) : undefined;
  const freshening = live?.fresh();
  // Vocabularies and synonyms change seldom: kept across the writes to fiches.
  const references = tuning.memo ? cacheOf(db, referenceCaches) : undefined;
  const understand = (reference: bigint, analysing: boolean) =>
    understandRequest(db, request, q, analysing, (key, compute) =>
      references ? references.get(reference, key, compute) : compute(),
    );
  // The index's catch-up and the query's analysis are two round trips, neither needing the
  // other: the analysis starts at once with the reference data the index last saw, and starts
  // again in the rare case that the catch-up finds them changed. No generation labels it.
  const guess = live?.lastReference();
  const early = guess === undefined ? undefined : understand(guess, true);
  early?.catch(() => {});
  // Read before anything is computed, so that a value is never labelled newer than it is.
  const fresh = await freshening;
  const generations = fresh ?? (cache ? await readGenerations(db) : { generation: 0n, reference: 0n });
  const index = fresh?.index;
  const remember = <T>(
    on: boolean,
    key: string,
    compute: () => Promise<T>,
    keep?: (value: T, ms: number) => boolean,
  ) => (cache && on ? cache.get(generations.generation, key, compute, keep) : compute());
  const { ref, synonyms, filters, parsed, analysed } =
    early && guess === generations.reference ? await early : await understand(generations.reference, Boolean(index));
  const hasText = index
    ? Boolean(analysed?.tree)
    : parsed.length > 0 && (await remember(tuning.memo, `nodes:${q}`, () => countQueryNodes(db, parsed))) > 0;
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

/** What a snippet highlights, from the query PostgreSQL analysed, with its text as a key. */
export function highlightOf(analysed: AnalysedQuery | undefined): (Highlight & { key: string }) | undefined {
  if (!analysed?.tree) return undefined;
  const any = anyWanted(analysed.tree);
  return { whole: analysed.tree, any: any && any !== analysed.tree ? any : null, key: analysed.text };
}

/** The scope of a resolved search for the index. */
export function indexScope(resolved: ResolvedSearch) {
  const { scope, analysed, hasText } = resolved;
  return { ...scope, query: hasText ? analysed : undefined };
}

/** A correction of the unknown words, from the process's copy of the lexicon, checked on the index. */
export async function suggestFromIndex(
  db: Db,
  q: string,
  resolved: ResolvedSearch,
  index: SearchIndex,
): Promise<string | null> {
  const terms = checkableTerms(resolved.parsed);
  const { words = [], plains = [] } = resolved.analysed ?? {};
  const unknown = terms.flatMap((term, i) => (knowsWord(index, words[i] ?? null) ? [] : [{ term, plain: plains[i] }]));
  if (unknown.length === 0 || unknown.length > MAX_CORRECTED_WORDS) return null;
  const lexicon = await typoLexiconOf(db, resolved.generations.generation);
  const replacements = unknown.flatMap(({ term, plain }) => {
    const by = lexicon.correction(plain);
    return by && by.toLowerCase() !== term.words[0].toLowerCase() ? [{ term, by }] : [];
  });
  if (replacements.length === 0) return null;
  const suggestion = rewriteQuery(q, replacements);
  const analysed = await analyse(db, parseQuery(suggestion, resolved.scope.synonyms));
  if (!analysed.tree) return null;
  const match = await matchScope(db, index, { query: analysed, filters: {} });
  return cardinality(match.matched) > 0 ? suggestion : null;
}
