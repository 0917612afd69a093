import { LruMap } from '../search.cache.js';
import type { LiveIndex } from './live-index.js';
import { hasSlot, type SearchIndex } from './search-index.js';

// About 50 kB a page with its facets and snippets: 500 pages hold the commonest searches of a
// busy service (the benchmark mix has 320) in some 25 MB.
const PAGES_KEPT = 500;

/** Where a search stands: the index and generations it read, its analysis and its matches. */
export interface PageState {
  index: SearchIndex;
  generation: bigint;
  reference: bigint;
  /** The analysed query, completions included: another analysis may match other fiches. */
  analysis: string;
  /** The slots matching the text and scope, every facet ignored: what every count is taken over. */
  matched: Uint32Array;
}

interface KeptPage<T> extends PageState {
  value: T;
}

/**
 * Result pages kept across writes. A write changes a few fiches; a page that none of them was
 * among the matches of before, nor is after, is still exactly what a search would compute:
 * its total, every facet count, its order and its rows. So at national scale a publication in
 * one département leaves the pages of searches it has nothing to do with (ADR 0013).
 */
export class KeptPages<T> {
  private readonly pages = new LruMap<string, KeptPage<T>>(PAGES_KEPT);

  constructor(private readonly live: LiveIndex) {}

  /** The page kept under `key`, if no change since it was computed concerns it. */
  get(key: string, now: PageState): T | undefined {
    const page = this.pages.get(key);
    if (!page || page.index !== now.index || page.reference !== now.reference || page.analysis !== now.analysis) {
      return undefined;
    }
    if (page.generation < now.generation) {
      const changes = this.live.changesSince(now.index, page.generation);
      if (
        !changes ||
        changes.retired.some((slot) => hasSlot(page.matched, slot)) ||
        changes.filled.some((slot) => hasSlot(now.matched, slot))
      ) {
        return undefined;
      }
      // Still true now: checked from here on, so that the log's older end may go.
      this.pages.set(key, { ...now, matched: now.matched.slice(), value: page.value });
    }
    return page.value;
  }

  /** Keeps a page computed at `state`; the matches are copied, as the caller's may change. */
  set(key: string, state: PageState, value: T): void {
    this.pages.set(key, { ...state, matched: state.matched.slice(), value });
  }
}
