import type { Bits } from './bits.js';
import { FREQUENCY_CAP, type LexemeList, SLOT_SHIFT } from './postings.js';

/**
 * A walk of a phrase's lists: the slots found so far, and each list's next posting and position
 * byte, counted from the list's start (a list that grows may move to arrays of its own).
 */
export interface PhraseWalk {
  bits: Bits;
  index: Int32Array;
  at: Int32Array;
}

/** A new walk of `k` lists, its set `words` words wide. */
export function startPhraseWalk(k: number, words: number): PhraseWalk {
  return { bits: new Uint32Array(words), index: new Int32Array(k), at: new Int32Array(k) };
}

/**
 * Takes a phrase's walk up where it stopped: merges the lexemes' lists on their slots, and where
 * all hold a slot, checks the positions, each lexeme at its `distances` from the one before.
 * Lists only grow at their end, by new slots, so the state stays valid across writes. Returns a
 * copy of the slots found, `words` words wide (the callers change the set they get).
 */
export function walkPhrase(lists: LexemeList[], distances: number[], walk: PhraseWalk, words: number): Bits {
  const { bits, index, at } = walk;
  const k = lists.length;
  const offsets = [0];
  for (const d of distances) offsets.push(offsets[offsets.length - 1] + d);
  const positions = lists.map(() => new Uint16Array(256));
  const counts = new Int32Array(k);
  // The number of positions of list j's next posting; at[j] moves past it when it is written.
  const countOf = (j: number) => {
    const list = lists[j];
    const frequency = list.postings[list.from + index[j]] & 15;
    if (frequency < FREQUENCY_CAP) return frequency;
    const bytes = list.positions;
    let p = list.bytesFrom + at[j];
    let count = bytes[p++];
    if (count >= 128) count = (count & 127) | (bytes[p++] << 7);
    at[j] = p - list.bytesFrom;
    return count;
  };
  const skip = (j: number) => {
    const count = countOf(j);
    const { positions: bytes, bytesFrom } = lists[j];
    let p = bytesFrom + at[j];
    for (let c = 0; c < count; c++) p += bytes[p] >= 128 ? 2 : 1;
    at[j] = p - bytesFrom;
    index[j]++;
  };
  const read = (j: number) => {
    const count = countOf(j);
    const { positions: bytes, bytesFrom } = lists[j];
    let p = bytesFrom + at[j];
    let position = 0;
    for (let c = 0; c < count; c++) {
      const b = bytes[p++];
      position += b < 128 ? b : (b & 127) | (bytes[p++] << 7);
      positions[j][c] = position;
    }
    counts[j] = count;
    at[j] = p - bytesFrom;
    index[j]++;
  };
  const slotOf = (j: number) => lists[j].postings[lists[j].from + index[j]] >>> SLOT_SHIFT;
  const done = () => bits.slice(0, words);
  for (;;) {
    let target = -1;
    for (let j = 0; j < k; j++) {
      if (index[j] >= lists[j].length) return done();
      target = Math.max(target, slotOf(j));
    }
    let aligned = true;
    for (let j = 0; j < k; j++) {
      while (index[j] < lists[j].length && slotOf(j) < target) skip(j);
      if (index[j] >= lists[j].length) return done();
      if (slotOf(j) !== target) aligned = false;
    }
    if (!aligned) continue;
    for (let j = 0; j < k; j++) read(j);
    if (phraseAt(positions, counts, offsets)) bits[target >>> 5] |= 1 << (target & 31);
  }
}

/** Whether some position of the first lexeme has each other one at its offset from it. */
function phraseAt(positions: Uint16Array[], counts: Int32Array, offsets: number[]): boolean {
  for (let a = 0; a < counts[0]; a++) {
    const start = positions[0][a];
    let all = true;
    for (let j = 1; j < positions.length && all; j++) {
      all = positions[j].subarray(0, counts[j]).includes(start + offsets[j]);
    }
    if (all) return true;
  }
  return false;
}
