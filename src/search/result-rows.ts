import type { Db } from '../db/database.js';
import type { SearchIndex } from './index/search-index.js';
import { readResultRows, type SnippetSources } from './result-rows.repository.js';
import { LruMap } from './search.cache.js';
import type { ResultRow } from './search.results.js';
import { type Highlight, makeSnippets } from './word-lexemes.js';

// Result rows kept across writes, by fiche version and highlighted query: a write changes one
// fiche, and the rows and snippets of the others, the one cost left to PostgreSQL in a search,
// stay true. About 2 kB a row.
const ROWS_KEPT = 5000;
const rowCaches = new WeakMap<SearchIndex, LruMap<string, ResultRow>>();

/**
 * These fiches' result rows, in this order, those of an unchanged fiche and query from memory.
 * Keyed by the fiche's version in the index, so a change to the fiche or its structure (which
 * reindexes it) is never hidden; a rebuilt index starts afresh. The facet codes and budget are
 * the index's.
 */
export async function readIndexedRows(
  db: Db,
  index: SearchIndex,
  ids: number[],
  highlight?: Highlight & { key: string; sources: SnippetSources },
) {
  let cache = rowCaches.get(index);
  if (!cache) {
    cache = new LruMap(ROWS_KEPT);
    rowCaches.set(index, cache);
  }
  const keys = ids.map(
    (id, i) => `${index.versionOf(id)}\u0000${highlight?.sources[i] ?? ''}\u0000${highlight?.key ?? ''}`,
  );
  const found = keys.map((key) => cache.get(key));
  const missing = ids.flatMap((_id, i) => (found[i] ? [] : [i]));
  if (missing.length > 0) {
    const read = await readResultRows(
      db,
      missing.map((i) => ids[i]),
      { sources: highlight && missing.map((i) => highlight.sources[i]), shownByIndex: true },
    );
    if (highlight) {
      const snippets = await makeSnippets(
        db,
        read.map((row) => row.texts),
        highlight,
      );
      read.forEach((row, i) => {
        row.headline = snippets[i];
      });
    }
    // The codes and budget as the index holds them, those its facets counted: no need to read them.
    const withShown = (row: ResultRow): ResultRow | undefined => {
      const shown = index.shownOf(row.id, ['status', 'dimension', 'keyword', 'public']);
      if (!shown) return undefined;
      const [[status], [dimension], keyword_codes, public_codes] = shown.codes;
      const fromIndex = { keyword_codes, public_codes, budget_total: shown.budget, texts: null };
      return { ...row, ...fromIndex, status_code: status ?? null, dimension_code: dimension ?? null };
    };
    const byId = new Map(read.map((row) => [row.id, withShown(row)]));
    for (const i of missing) {
      const row = byId.get(ids[i]);
      if (row) cache.set(keys[i], row);
      found[i] = row;
    }
  }
  // A fiche unpublished since the index's generation has no row any more.
  return found.filter((row): row is ResultRow => row !== undefined);
}
