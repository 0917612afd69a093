import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import roaring from 'roaring';
import { FACET_NAMES, type FacetFilters } from '../facets.js';
import { BulkBuilder } from './bulk-build.js';
import { toRoaring } from './roaring.js';
import type { IndexRow } from './search-index.js';

const { RoaringBitmap32 } = roaring;

function bitsOf(slots: number[], words: number): Uint32Array {
  const bits = new Uint32Array(words);
  for (const slot of slots) bits[slot >>> 5] |= 1 << (slot & 31);
  return bits;
}

const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.ceil((to - from) / step) }, (_, i) => from + i * step);

describe('search index: bitsets copied into roaring bitmaps', () => {
  // A chunk is 65 536 slots; up to 4 096 of them it is stored as an array, past it as bits.
  const shapes: Record<string, { slots: number[]; words: number }> = {
    empty: { slots: [], words: 10 },
    'one slot': { slots: [31], words: 1 },
    'sparse chunk': { slots: range(5, 65_536, 97), words: 2048 },
    'exactly 4 096 in a chunk': { slots: range(0, 4096 * 16, 16), words: 2048 },
    '4 097 in a chunk': { slots: [...range(0, 4096 * 16, 16), 65_535], words: 2048 },
    'a full chunk': { slots: range(0, 65_536), words: 2048 },
    'dense, empty, sparse, then a partial last chunk': {
      slots: [...range(0, 65_536, 3), ...range(131_072 + 7, 196_608, 1000), ...range(196_608, 200_000, 1)],
      words: 6250,
    },
  };
  for (const [name, { slots, words }] of Object.entries(shapes)) {
    it(`holds the same slots: ${name}`, () => {
      const copied = toRoaring(bitsOf(slots, words));
      assert.equal(copied.size, slots.length);
      assert.ok(copied.isEqual(new RoaringBitmap32(slots)));
    });
  }
});

// Codes drawn so that values are of every density: some in every other fiche, some rare.
function facetsOf(actionId: number): IndexRow['facets'] {
  return Object.fromEntries(
    FACET_NAMES.map((name, f) => {
      const codes = [`${name}-${actionId % (3 + f)}`];
      if (actionId % (7 + f) === 0) codes.push(`${name}-rare-${actionId % 5}`);
      return [name, f % 4 === 3 && actionId % 11 === 0 ? [] : codes];
    }),
  ) as unknown as IndexRow['facets'];
}

function fiche(actionId: number, words: string[]): IndexRow {
  return {
    actionId,
    document: words.map((word, i) => `'${word}':${i + 1}`).join(' '),
    titleSort: `fiche ${actionId}`,
    sortDate: actionId,
    structureId: 1,
    budgetTotal: null,
    facets: facetsOf(actionId),
  };
}

/** The counts as the results page defines them, from the fiches themselves. */
function expectedCounts(fiches: Map<number, IndexRow>, word: string, filters: FacetFilters, within: boolean) {
  // Each matching fiche with the facets whose filter turns it away.
  const matching = [...fiches.values()]
    .filter((row) => row.document.includes(`'${word}'`))
    .map((row) => ({
      row,
      refused: FACET_NAMES.filter((name) => {
        const wanted = filters[name] ?? [];
        return wanted.length > 0 && !row.facets[name].some((code) => wanted.includes(code));
      }),
    }));
  const counts = Object.fromEntries(
    FACET_NAMES.map((name) => {
      const byCode = new Map<string, number>();
      for (const { row, refused } of matching) {
        // Disjunctive: a facet's own filter does not narrow its counts, unless `within`.
        if (refused.length > 1 || (refused.length === 1 && (within || refused[0] !== name))) continue;
        for (const code of row.facets[name]) byCode.set(code, (byCode.get(code) ?? 0) + 1);
      }
      return [name, byCode];
    }),
  );
  return { total: matching.filter((m) => m.refused.length === 0).length, counts };
}

describe('search index: facet counts, by a pass over few matches or from roaring bitmaps', () => {
  const requests: Array<{ word: string; filters: FacetFilters }> = [
    { word: 'commun', filters: {} },
    { word: 'mot3', filters: { dimension: ['dimension-1'] } },
    { word: 'commun', filters: { dimension: ['dimension-0', 'dimension-2'], keyword: ['keyword-rare-3'] } },
    { word: 'rare', filters: { public: ['public-1'] } },
    { word: 'commun', filters: { territory: ['inconnu'] } },
    // Few matches: counted by a pass over them, not by the bitmaps.
    { word: 'rarissime', filters: {} },
    { word: 'rarissime', filters: { dimension: ['dimension-1'], public: ['public-0', 'public-rare-2'] } },
    { word: 'absent', filters: {} },
  ];

  it('count what the fiches hold, over two chunks of slots, and still after changes', () => {
    const fiches = new Map<number, IndexRow>();
    for (const id of range(1, 70_001)) {
      fiches.set(
        id,
        fiche(id, [
          'commun',
          `mot${id % 13}`,
          ...(id % 101 === 0 ? ['rare'] : []),
          ...(id % 997 === 0 ? ['rarissime'] : []),
        ]),
      );
    }
    const builder = new BulkBuilder();
    builder.add([...fiches.values()]);
    const index = builder.finish();
    const compare = (when: string) => {
      for (const { word, filters } of requests) {
        for (const within of [false, true]) {
          const match = index.match({ text: { kind: 'lexeme', lexeme: word, prefix: false, weights: 0 } });
          const { total, results, counts } = index.count(match, filters, within);
          const expected = expectedCounts(fiches, word, filters, within);
          const label = `${when}, ${word} ${JSON.stringify(filters)} within=${within}`;
          assert.equal(total, expected.total, label);
          assert.equal(index.idsOf(results).length, expected.total, label);
          assert.deepEqual(counts, expected.counts, label);
        }
      }
    };
    compare('built');
    // Changed fiches take new slots, which the values' roaring bitmaps made above must gain.
    const changed = range(1, 70_001, 350).map((id) => fiche(id, ['commun', 'rare']));
    changed.push(fiche(70_001, ['commun', 'mot3']));
    index.upsert(changed);
    for (const row of changed) fiches.set(row.actionId, row);
    index.remove([2, 3, 5]);
    for (const id of [2, 3, 5]) fiches.delete(id);
    compare('after changes');
  });
});
