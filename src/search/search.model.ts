import type { FacetFilters, FacetName } from './facets.js';

// The shapes of a search: what a caller asks, what it gets back, and how it may be tuned.

/** The orders a result list offers. */
export const SORTS = ['relevance', 'recent', 'title', 'budget', 'department'] as const;
/** One of SORTS. */
export type Sort = (typeof SORTS)[number];
/** Results on a page unless asked otherwise. */
export const PER_PAGE = 20;
/** The most results a page may ask for. */
export const MAX_PER_PAGE = 100;
/** The longest query, in characters: longer ones get a French 400 naming `q`. */
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
  /** The overall amount read in the resources text, in euros; null when it states none. */
  budget: number | null;
  /** « À vérifier » when a reminder went unanswered (src/freshness). */
  stale: boolean;
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
