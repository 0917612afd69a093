import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generatedDump } from '../../../bench/lib/dump-file.js';
import { hostileQueries } from '../../../bench/lib/hostile.js';
import { loadMix } from '../../../bench/lib/mix.js';
import { openTestDatabase, testEngines } from '../../../test/helpers/databases.js';
import type { DbHandle } from '../../db/connect.js';
import { importDump } from '../../legacy-dump/import.service.js';
import { DEFAULT_TUNING, type SearchRequest, type SearchResult, type SearchTuning } from '../search.model.js';
import { matchingActionIds, search } from '../search.service.js';

// The plain search: PostgreSQL finds, counts and orders everything, nothing is kept.
const PLAIN: SearchTuning = { index: false, memo: false, facetCache: false, pageCache: false };
const INDEXED: SearchTuning = { ...DEFAULT_TUNING, pageCache: false };

async function allIds(handle: DbHandle, request: SearchRequest, tuning: SearchTuning): Promise<number[]> {
  if (tuning.index) {
    const ids: number[] = [];
    for await (const batch of await matchingActionIds(handle.db, request)) ids.push(...batch);
    return ids;
  }
  // The plain search's whole set, page by page, sorted by id.
  const ids: number[] = [];
  for (let page = 1; ; page++) {
    const result = await search(handle.db, { ...request, page, perPage: 100, sort: 'recent' }, tuning);
    ids.push(...result.items.map((i) => i.id));
    if (page >= result.pageCount) break;
  }
  return ids.sort((a, b) => a - b);
}

for (const engine of testEngines()) {
  describe(`search index against the plain PostgreSQL search (${engine})`, () => {
    let handle: DbHandle;

    before(async () => {
      handle = await openTestDatabase(engine);
      await importDump(handle.db, generatedDump(2000, 7));
    });
    after(async () => {
      await handle.close();
    });

    it('finds the same fiches, totals and facet counts for every query of the mix and the hostile ones', async () => {
      const queries = [...(await loadMix()), ...hostileQueries()];
      let compared = 0;
      let shownCompared = 0;
      for (const query of queries) {
        const request: SearchRequest = { q: query.q, filters: query.filters, sort: query.sort };
        const [plain, indexed] = [await search(handle.db, request, PLAIN), await search(handle.db, request, INDEXED)];
        const label = JSON.stringify(request);
        assert.equal(indexed.total, plain.total, `total, ${label}`);
        assert.deepEqual(indexed.facets, plain.facets, `facettes, ${label}`);
        // The set, not the order: ranking may differ, the fiches found may not.
        if (plain.total <= 400) {
          assert.deepEqual(
            await allIds(handle, request, INDEXED),
            await allIds(handle, request, PLAIN),
            `fiches, ${label}`,
          );
          compared++;
        }
        // A fiche found by both shows the same: its codes come from the index, the rest from its row.
        const shown = (item: SearchResult['items'][number]) => {
          const { status, dimension, keywords, publics, title, structure, budget } = item;
          return { status, dimension, keywords, publics, title, structure, budget };
        };
        const plainItems = new Map(plain.items.map((item) => [item.id, shown(item)]));
        for (const item of indexed.items) {
          if (plainItems.has(item.id)) {
            assert.deepEqual(shown(item), plainItems.get(item.id), `fiche ${item.id}, ${label}`);
            shownCompared++;
          }
        }
        // Orders other than relevance are the same, ties included.
        if (query.sort && query.sort !== 'relevance') {
          assert.deepEqual(
            indexed.items.map((i) => i.id),
            plain.items.map((i) => i.id),
            `ordre ${query.sort}, ${label}`,
          );
        }
      }
      assert.ok(compared > 100, `seulement ${compared} ensembles comparés`);
      assert.ok(shownCompared > 1000, `seulement ${shownCompared} fiches comparées`);
    });
  });
}
