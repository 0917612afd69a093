import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addSlot } from './bits.js';
import { LexemeList } from './postings.js';
import { bestByNumber, bestOf, comparator, type RankGroups, resultScores, scoreOf } from './ranking.js';

describe('relevance scores', () => {
  // 'commun' in every one of 200 slots, in changing fields and numbers; 'rare' in three.
  const slots = 200;
  const lists = new Map<string, LexemeList>([
    ['commun', new LexemeList()],
    ['rare', new LexemeList()],
  ]);
  for (let slot = 0; slot < slots; slot++) {
    const count = 1 + (slot % 4);
    lists.get('commun')?.push(
      slot,
      [8, 4, 2, 1][slot % 4],
      Uint16Array.from({ length: count }, (_, i) => i + 1),
      count,
    );
    if (slot % 70 === 3) lists.get('rare')?.push(slot, slot === 73 ? 8 : 2, [5], 1);
  }
  const groups: RankGroups = [[{ lexeme: 'commun', exact: true }], [{ lexeme: 'rare', exact: true }]];
  const setOf = (wanted: number[]) => {
    const bits = new Uint32Array(Math.ceil(slots / 32));
    for (const slot of wanted) addSlot(bits, slot);
    return bits;
  };

  it('gives a few results, looked up in each list, the scores that reading every posting gives', () => {
    const few = [3, 73, 143];
    // Three results of two lexemes are looked up; 200 results read the 203 postings.
    const looked = resultScores(setOf(few), groups, lists, slots);
    const read = resultScores(setOf(Array.from({ length: slots }, (_, slot) => slot)), groups, lists, slots);
    assert.ok(looked instanceof Map && read instanceof Float64Array);
    assert.deepEqual(
      few.map((slot) => scoreOf(looked, slot)),
      few.map((slot) => scoreOf(read, slot)),
    );
    // Slot 73: 'commun' in the résumé (rank 2 and an exact word: 2 * 2 + 1), twice; 'rare' in
    // the title (3 * 2 + 1), once.
    assert.equal(scoreOf(looked, 73), 5 * 1000 + 2 + 7 * 1000 + 1);
  });

  it('gives a group of several words its best field once, read or looked up alike', () => {
    const either: RankGroups = [
      [
        { lexeme: 'commun', exact: false },
        { lexeme: 'rare', exact: true },
      ],
    ];
    const all = Array.from({ length: slots }, (_, slot) => slot);
    const read = resultScores(setOf(all), either, lists, slots);
    const looked = resultScores(setOf([3, 73, 143]), either, lists, slots);
    assert.ok(read instanceof Float64Array && looked instanceof Map);
    for (const slot of [3, 73, 143]) assert.equal(scoreOf(read, slot), scoreOf(looked, slot), `slot ${slot}`);
    // Slot 73: 'rare' in the title (3 * 2 + 1) beats 'commun' in the résumé, counted once.
    assert.equal(scoreOf(read, 73), 7 * 1000 + 2 + 1);
    // Slot 6: 'commun' alone, three times in the other texts, a completion (1 * 2 + 0).
    assert.equal(scoreOf(read, 6), 2 * 1000 + 3);
  });
});

describe('the best results by a number, then the latest, then the id', () => {
  it('keeps the same best slots, in the same order, as the comparator, ties included', () => {
    // Numbers and dates from small ranges, so that many slots tie on both.
    const slots = 5000;
    const numbers = Float64Array.from({ length: slots }, (_, slot) => (slot * 7919) % 13);
    const dates = Float64Array.from({ length: slots }, (_, slot) => (slot * 104_729) % 5);
    const ids = Int32Array.from({ length: slots }, (_, slot) => (slot * 31) % slots);
    const columns = { dates, ids, titles: [], departements: [], budgets: new Float64Array(slots) };
    const results = new Uint32Array(Math.ceil(slots / 32));
    for (let slot = 0; slot < slots; slot += 1 + (slot % 3)) addSlot(results, slot);
    for (const k of [1, 20, 100, 4000]) {
      const expected = bestOf(
        results,
        k,
        comparator('relevance', columns, (slot) => numbers[slot]),
      );
      assert.deepEqual(bestByNumber(results, k, numbers, columns), expected, `k = ${k}`);
    }
    // The latest first is the same walk with the dates as the number.
    const latest = bestOf(
      results,
      50,
      comparator('recent', columns, () => 0),
    );
    assert.deepEqual(bestByNumber(results, 50, dates, columns), latest);
  });
});
