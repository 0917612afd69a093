import { FACET_NAMES, type FacetFilters, type FacetName } from '../facets.js';
import { LruMap } from '../search.cache.js';
import { hasSlot } from './bits.js';
import type { CountRows } from './index.service.js';
import type { LiveIndex } from './live-index.js';
import type { IndexOrder } from './ranking.js';
import type { IndexMatch, SearchIndex } from './search-index.js';

// About 60 kB a page with its facets, snippets and result set: 500 pages hold the commonest
// searches of a busy service (the benchmark mix has 320) in some 30 MB.
const PAGES_KEPT = 500;
// Past this many changed slots since a page, counting it afresh costs no more than mending it.
const MENDED_SLOTS = 256;

/** Where a search stands: the index and generations it read, its analysis and its matches. */
export interface PageState {
  index: SearchIndex;
  generation: bigint;
  reference: bigint;
  /** The analysed query, completions included: another analysis may match other fiches. */
  analysis: string;
  /**
   * The text and scope's matches, every facet ignored: what every count is taken over. Asked
   * only when a write came since the page: a page of the same generation is shown as kept.
   */
  match: () => Promise<IndexMatch>;
}

/** What a page's figures were computed from: its counts, its results and its best slots. */
export interface PageCounts {
  rows: CountRows;
  total: number;
  /** The slots of the results, every filter applied. */
  results: Uint32Array;
  /** The slots of the results up to the end of the page, best first. */
  top: number[];
}

/** What makes a page: its filters, its order and how far it reaches (offset and length). */
export interface PageRequest {
  filters: FacetFilters;
  order: IndexOrder;
  reach: number;
}

interface KeptPage<T> {
  state: Omit<PageState, 'match'>;
  /** The page's matches, every facet ignored. */
  matched: Uint32Array;
  counts: PageCounts;
  value: T;
}

/**
 * Result pages kept across writes (ADR 0013). A write changes a few fiches; a page that none
 * of them was among the matches of before, nor is after, is still exactly what a search would
 * compute: its total, every facet count, its order and its rows. A page that some of them
 * concern is mended: the counts of the old versions taken off, those of the new ones added, the
 * best results ranked again only among the kept ones and the new ones. So a publication costs
 * the broad searches, which nearly every write concerns, a few slots' work, not a recount.
 */
export class KeptPages<T> {
  private readonly pages = new LruMap<string, KeptPage<T>>(PAGES_KEPT);

  constructor(private readonly live: LiveIndex) {}

  /**
   * The page kept under `key` if no change since it was computed concerns it (`value`), or its
   * counts mended by the changes (`counts`, from which the caller makes the page again).
   */
  async get(
    key: string,
    now: PageState,
    request: PageRequest,
  ): Promise<{ value: T } | { counts: PageCounts } | undefined> {
    const page = this.pages.get(key);
    const then = page?.state;
    if (
      !page ||
      !then ||
      then.index !== now.index ||
      then.reference !== now.reference ||
      then.analysis !== now.analysis
    ) {
      return undefined;
    }
    if (then.generation === now.generation) return { value: page.value };
    const changes = this.live.changesSince(now.index, then.generation);
    if (!changes || changes.retired.length + changes.filled.length > MENDED_SLOTS) return undefined;
    const match = await now.match();
    const gone = changes.retired.filter((slot) => hasSlot(page.matched, slot));
    const come = changes.filled.filter((slot) => hasSlot(match.matched, slot));
    if (gone.length === 0 && come.length === 0) {
      // Still true now: checked from here on, so that the log's older end may go.
      this.set(key, now, match, page.counts, page.value);
      return { value: page.value };
    }
    return { counts: mend(now.index, match, page.counts, gone, come, request) };
  }

  /** Keeps a page computed at `state` from `match`, whose set is copied, as the caller's may change. */
  set(key: string, state: PageState, match: IndexMatch, counts: PageCounts, value: T): void {
    const { match: _, ...kept } = state;
    this.pages.set(key, { state: kept, matched: match.matched.slice(), counts, value });
  }
}

/** A page's counts after some of its matches went (`gone`) and others came (`come`). */
function mend(
  index: SearchIndex,
  match: IndexMatch,
  before: PageCounts,
  gone: number[],
  come: number[],
  request: PageRequest,
): PageCounts {
  const words = (index.slots + 31) >>> 5;
  const bitsOf = (slots: number[]) => {
    const bits = new Uint32Array(words);
    for (const slot of slots) bits[slot >>> 5] |= 1 << (slot & 31);
    return bits;
  };
  // A gone slot keeps its facet values in the index until the next compaction.
  const minus = index.count({ ...match, matched: bitsOf(gone) }, request.filters);
  const plus = index.count({ ...match, matched: bitsOf(come) }, request.filters);
  const n = new Map<string, { facet: FacetName; code: string; n: number }>();
  const add = (facet: FacetName, code: string, k: number) => {
    const key = `${facet}\u0000${code}`;
    const row = n.get(key) ?? { facet, code, n: 0 };
    row.n += k;
    n.set(key, row);
  };
  for (const row of before.rows) if (row.facet !== 'total' && row.code !== null) add(row.facet, row.code, row.n);
  for (const name of FACET_NAMES) {
    for (const [code, k] of minus.counts[name]) add(name, code, -k);
    for (const [code, k] of plus.counts[name]) add(name, code, k);
  }
  const total = before.total - minus.total + plus.total;
  const rows: CountRows = [{ facet: 'total', code: null, n: total }, ...[...n.values()].filter((row) => row.n > 0)];
  const results = new Uint32Array(words);
  results.set(before.results.subarray(0, words));
  for (let w = 0; w < words; w++) results[w] = (results[w] & ~minus.results[w]) | plus.results[w];
  const top =
    index.retop(before.top, minus.results, plus.results, match, request.order, request.reach) ??
    index.topSlots(results, match, request.order, request.reach);
  return { rows, total, results, top };
}
