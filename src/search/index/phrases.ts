import { type Bits, nextSlot } from './bits.js';
import { FREQUENCY_CAP, type LexemeList, MAX_SLOTS, SLOT_SHIFT } from './postings.js';

/**
 * A walk of a phrase's lists: the slots found so far, and each list's next posting and position
 * byte, counted from the list's start (a list that grows may move to arrays of its own).
 */
export interface PhraseWalk {
  bits: Bits;
  index: Int32Array;
  at: Int32Array;
}

// Every 32nd posting's place among a list's position bytes, so that a walk jumps over the
// postings of a common word rather than reading their positions: the first walk of a phrase of
// eight common words read every position of their lists, 29 ms at 100 000 fiches.
const MARK_SHIFT = 5;

/** Where each 32nd posting's positions start, from the list's first byte, up to `postings`. */
interface Marks {
  offsets: Int32Array;
  /** The postings the marks cover, and the byte after their positions. */
  postings: number;
  bytes: number;
}

// By list: a list keeps its postings (it only grows at its end) and the place of their positions
// from its first byte, even when it moves to arrays of its own; a compaction makes new lists.
const marksByList = new WeakMap<LexemeList, Marks>();

/** A list's marks, brought up to its end: the new postings' positions are read once. */
export function marksOf(list: LexemeList): Marks {
  let marks = marksByList.get(list);
  if (!marks) {
    marks = { offsets: new Int32Array((list.length >>> MARK_SHIFT) + 1), postings: 0, bytes: 0 };
    marksByList.set(list, marks);
  }
  if (marks.postings === list.length) return marks;
  const needed = (list.length >>> MARK_SHIFT) + 1;
  if (marks.offsets.length < needed) {
    const bigger = new Int32Array(needed + (needed >>> 3));
    bigger.set(marks.offsets);
    marks.offsets = bigger;
  }
  let p = list.bytesFrom + marks.bytes;
  for (let i = marks.postings; i < list.length; i++) {
    if ((i & ((1 << MARK_SHIFT) - 1)) === 0) marks.offsets[i >>> MARK_SHIFT] = p - list.bytesFrom;
    p = afterPositions(list, i, p);
  }
  marks.postings = list.length;
  marks.bytes = p - list.bytesFrom;
  return marks;
}

/**
 * Where posting `i`'s positions end, they starting at byte `p` of the list's array: past their
 * number when the posting's frequency is capped, then past each varint.
 */
function afterPositions(list: LexemeList, i: number, p: number): number {
  const bytes = list.positions;
  let count = list.postings[list.from + i] & 15;
  if (count >= FREQUENCY_CAP) {
    count = bytes[p++];
    if (count >= 128) count = (count & 127) | (bytes[p++] << 7);
  }
  for (let c = 0; c < count; c++) p += bytes[p] >= 128 ? 2 : 1;
  return p;
}

/** The bytes a list's marks take, 0 when it has none. */
export function marksBytes(list: LexemeList): number {
  return marksByList.get(list)?.offsets.byteLength ?? 0;
}

/** A new walk of `k` lists, its set `words` words wide. */
export function startPhraseWalk(k: number, words: number): PhraseWalk {
  return { bits: new Uint32Array(words), index: new Int32Array(k), at: new Int32Array(k) };
}

/** A phrase's lists, each at the posting its walk has reached (`walk.index`, `walk.at`). */
class WalkedLists {
  constructor(
    private readonly lists: LexemeList[],
    private readonly walk: PhraseWalk,
  ) {}

  /** Whether list j has no posting left. */
  ended(j: number): boolean {
    return this.walk.index[j] >= this.lists[j].length;
  }

  /** The slot of list j's next posting. */
  slotOf(j: number): number {
    const list = this.lists[j];
    return list.postings[list.from + this.walk.index[j]] >>> SLOT_SHIFT;
  }

  /** Reads list j's next posting: its positions into `into`, their number returned. */
  read(j: number, into: Uint16Array): number {
    const count = this.countOf(j);
    const { positions: bytes, bytesFrom } = this.lists[j];
    let p = bytesFrom + this.walk.at[j];
    let position = 0;
    for (let c = 0; c < count; c++) {
      const b = bytes[p++];
      position += b < 128 ? b : (b & 127) | (bytes[p++] << 7);
      into[c] = position;
    }
    this.walk.at[j] = p - bytesFrom;
    this.walk.index[j]++;
    return count;
  }

  /**
   * Moves list j to its first posting at or after slot `target`: found by halving, reached from
   * the mark before it, the positions read only from there.
   */
  seek(j: number, target: number): void {
    const { index, at } = this.walk;
    const list = this.lists[j];
    const { postings: data, from, length } = list;
    if (this.ended(j) || this.slotOf(j) >= target) return;
    let lo = index[j] + 1;
    let hi = length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (data[from + mid] >>> SLOT_SHIFT < target) lo = mid + 1;
      else hi = mid;
    }
    const mark = lo >>> MARK_SHIFT;
    if (mark << MARK_SHIFT > index[j]) {
      const marks = marksOf(list);
      index[j] = mark << MARK_SHIFT;
      at[j] = index[j] === length ? marks.bytes : marks.offsets[mark];
    }
    while (index[j] < lo) this.skip(j);
  }

  private skip(j: number): void {
    const list = this.lists[j];
    this.walk.at[j] = afterPositions(list, this.walk.index[j], list.bytesFrom + this.walk.at[j]) - list.bytesFrom;
    this.walk.index[j]++;
  }

  // The number of positions of list j's next posting; its place moves past that number when
  // the posting's frequency is capped and the number written out.
  private countOf(j: number): number {
    const list = this.lists[j];
    const frequency = list.postings[list.from + this.walk.index[j]] & 15;
    if (frequency < FREQUENCY_CAP) return frequency;
    const bytes = list.positions;
    let p = list.bytesFrom + this.walk.at[j];
    let count = bytes[p++];
    if (count >= 128) count = (count & 127) | (bytes[p++] << 7);
    this.walk.at[j] = p - list.bytesFrom;
    return count;
  }
}

/**
 * Takes a phrase's walk up where it stopped: moves the lexemes' lists from one of `candidates`
 * (the slots holding every lexeme) to the next, and there checks the positions, each lexeme at
 * its `distances` from the one before. Lists only grow at their end, by new slots, so the state
 * stays valid across writes. Returns a copy of the slots found, `words` words wide (the callers
 * change the set they get).
 */
export function walkPhrase(
  lists: LexemeList[],
  distances: number[],
  walk: PhraseWalk,
  words: number,
  candidates: Bits,
): Bits {
  const k = lists.length;
  const offsets = [0];
  for (const d of distances) offsets.push(offsets[offsets.length - 1] + d);
  const positions = lists.map(() => new Uint16Array(256));
  const counts = new Int32Array(k);
  const walked = new WalkedLists(lists, walk);
  const done = () => walk.bits.slice(0, words);
  for (;;) {
    let target = -1;
    for (let j = 0; j < k; j++) {
      if (walked.ended(j)) return done();
      target = Math.max(target, walked.slotOf(j));
    }
    // Only a slot holding every word can hold the phrase: past the last, the lists are done.
    target = nextSlot(candidates, target);
    if (target < 0) {
      for (let j = 0; j < k; j++) walked.seek(j, MAX_SLOTS);
      return done();
    }
    let aligned = true;
    for (let j = 0; j < k; j++) {
      walked.seek(j, target);
      if (walked.ended(j)) return done();
      if (walked.slotOf(j) !== target) aligned = false;
    }
    if (!aligned) continue;
    for (let j = 0; j < k; j++) counts[j] = walked.read(j, positions[j]);
    if (phraseAt(positions, counts, offsets)) walk.bits[target >>> 5] |= 1 << (target & 31);
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
