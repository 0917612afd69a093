import type { Bits } from './bits.js';

// A posting packs the slot (24 bits), the weights seen (4 bits) and the frequency (4 bits).
/** How far a posting's slot is shifted left. */
export const SLOT_SHIFT = 8;
/** The most slots a posting can name: a rebuild is due before. */
export const MAX_SLOTS = 1 << 24;
/** A posting's frequency field is capped here; the positions then say how many there are. */
export const FREQUENCY_CAP = 15;

/**
 * A lexeme's postings, by slot, and their positions: for each posting in turn, its positions as
 * distances from the previous one, varints of one or two bytes (a position is below 16 384),
 * preceded by their number only when the posting's frequency is capped.
 *
 * The postings are `postings[from]` to `postings[to - 1]`, with room up to `limit`; the
 * positions, `positions[bytesFrom]` to `positions[bytesTo - 1]`, room up to `bytesLimit`. After
 * a bulk build every list is a range of two arrays shared by all (bulk-build.ts): a view or a
 * growable column per list would cost 77 000 × 4 objects, about 25 MB of heap at 100 000
 * fiches. A list that outgrows its room moves to arrays of its own.
 */
export class LexemeList {
  constructor(
    public postings = new Uint32Array(2),
    public from = 0,
    public to = 0,
    public limit = postings.length,
    public positions = new Uint8Array(4),
    public bytesFrom = 0,
    public bytesTo = 0,
    public bytesLimit = positions.length,
  ) {}

  /** The number of postings. */
  get length(): number {
    return this.to - this.from;
  }

  /** Appends a posting and its positions (`count` of them, sorted, in `positions`). */
  push(slot: number, weights: number, positions: ArrayLike<number>, count: number): void {
    if (this.to === this.limit) this.growPostings();
    this.postings[this.to++] = packPosting(slot, weights, count);
    if (this.bytesLimit - this.bytesTo < 2 * (count + 1)) this.growPositions(2 * (count + 1));
    if (count >= FREQUENCY_CAP) this.pushVarint(count);
    for (let i = 0, previous = 0; i < count; previous = positions[i++]) this.pushVarint(positions[i] - previous);
  }

  private pushVarint(value: number): void {
    if (value >= 128) {
      this.positions[this.bytesTo++] = (value & 127) | 128;
      this.positions[this.bytesTo++] = value >>> 7;
    } else {
      this.positions[this.bytesTo++] = value;
    }
  }

  // Grown by an eighth, as every index column: a list grows for good, and doubling would leave
  // half of a large list's memory unused.
  private growPostings(): void {
    const n = this.length;
    const bigger = new Uint32Array(Math.max(16, n + (n >>> 3)));
    bigger.set(this.postings.subarray(this.from, this.to));
    this.postings = bigger;
    this.from = 0;
    this.to = n;
    this.limit = bigger.length;
  }

  private growPositions(needed: number): void {
    const n = this.bytesTo - this.bytesFrom;
    const bigger = new Uint8Array(Math.max(32, n + needed + (n >>> 3)));
    bigger.set(this.positions.subarray(this.bytesFrom, this.bytesTo));
    this.positions = bigger;
    this.bytesFrom = 0;
    this.bytesTo = n;
    this.bytesLimit = bigger.length;
  }
}

/** A posting: the slot, the weights seen and the number of positions (capped at 15). */
export function packPosting(slot: number, weights: number, count: number): number {
  return (slot << SLOT_SHIFT) | (weights << 4) | Math.min(count, FREQUENCY_CAP);
}

/** The weights (A 8, B 4, C 2, D 1) of a posting. */
export function weightsOfPosting(posting: number): number {
  return (posting >>> 4) & 15;
}

/** The best weight of a posting's field, as a rank: title 3, résumé 2, other texts 1, context 0. */
export function fieldRank(weights: number): number {
  return weights & 8 ? 3 : weights & 4 ? 2 : weights & 2 ? 1 : 0;
}

/** A lexeme list's posting in a slot, or -1: postings are sorted by slot. */
export function postingIn(list: LexemeList | undefined, slot: number): number {
  if (!list) return -1;
  const { postings: data, to: length } = list;
  let lo = list.from;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (data[mid] >>> SLOT_SHIFT < slot) lo = mid + 1;
    else hi = mid;
  }
  return lo < length && data[lo] >>> SLOT_SHIFT === slot ? data[lo] : -1;
}

/** Sets in `bits` the slots of postings `from` to `to` that hold a word in one of `weights` (0: any). */
export function setSlots(bits: Bits, postings: Uint32Array, from: number, to: number, weights: number): void {
  for (let i = from; i < to; i++) {
    const p = postings[i];
    if (weights !== 0 && ((p >>> 4) & weights & 15) === 0) continue;
    const slot = p >>> SLOT_SHIFT;
    bits[slot >>> 5] |= 1 << (slot & 31);
  }
}

/** Where a string goes in a sorted list: the first place whose string is not below it. */
export function lowerBound(sorted: string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
