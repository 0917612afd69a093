import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addSlot } from './bits.js';
import { LexemeList } from './postings.js';
import { type RankGroups, resultScores } from './ranking.js';

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
    assert.deepEqual(few.map(looked), few.map(read));
    // Slot 73: 'commun' in the résumé (rank 2 and an exact word: 2 * 2 + 1), twice; 'rare' in
    // the title (3 * 2 + 1), once.
    assert.equal(looked(73), 5 * 1000 + 2 + 7 * 1000 + 1);
  });
});
