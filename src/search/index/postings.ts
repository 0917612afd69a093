import type { Bits } from './bits.js';
import { uint8, uint32 } from './columns.js';

// A posting packs the slot (24 bits), the weights seen (4 bits) and the frequency (4 bits).
/** How far a posting's slot is shifted left. */
export const SLOT_SHIFT = 8;
/** The most slots a posting can name: a rebuild is due before. */
export const MAX_SLOTS = 1 << 24;

/**
 * A lexeme's postings, by slot, and their positions: for each posting in turn, the number of
 * positions then each one's distance from the previous, as varints (a position is below 16 384).
 */
export class LexemeList {
  constructor(
    readonly postings = uint32(2),
    readonly positions = uint8(4),
  ) {}

  /** Appends a number below 16 384 to the positions, in one or two bytes. */
  pushVarint(value: number): void {
    if (value >= 128) {
      this.positions.push((value & 127) | 128);
      this.positions.push(value >>> 7);
    } else {
      this.positions.push(value);
    }
  }
}

/** A posting: the slot, the weights seen and the number of positions (capped at 15). */
export function packPosting(slot: number, weights: number, count: number): number {
  return (slot << SLOT_SHIFT) | (weights << 4) | Math.min(Math.max(count, 1), 15);
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
  const { data, length } = list.postings;
  let lo = 0;
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
