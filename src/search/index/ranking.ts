import { type Bits, cardinality, forEachSlot } from './bits.js';
import { fieldRank, type LexemeList, postingIn, SLOT_SHIFT } from './postings.js';

/** The orders a result list offers. */
export type IndexOrder = 'relevance' | 'recent' | 'title' | 'budget' | 'department';

/** Lexemes whose postings rank the results, by AND group; `exact` false for a completion. */
export type RankGroups = Array<Array<{ lexeme: string; exact: boolean }>>;

/** The columns the orders read, by slot. */
export interface SortColumns {
  dates: Float64Array;
  ids: Int32Array;
  titles: string[];
  /** Each fiche's département code, '' when it has none. */
  departements: string[];
  /** NaN where the fiche states no budget. */
  budgets: Float64Array;
}

/** Whether slot `a` comes before slot `b` in an order; `score` gives relevance. */
export function comparator(
  order: IndexOrder,
  { dates, ids, titles, departements, budgets }: SortColumns,
  score: (slot: number) => number,
): (a: number, b: number) => boolean {
  if (order === 'relevance') {
    return (a, b) => {
      const sa = score(a);
      const sb = score(b);
      return sa !== sb ? sa > sb : dates[a] !== dates[b] ? dates[a] > dates[b] : ids[a] > ids[b];
    };
  }
  if (order === 'title') {
    return (a, b) => (titles[a] !== titles[b] ? titles[a] < titles[b] : ids[a] < ids[b]);
  }
  if (order === 'department') {
    // By code (01 … 2A, 2B … 95, then overseas), then by title within a département.
    return (a, b) =>
      departements[a] !== departements[b]
        ? departements[a] < departements[b]
        : titles[a] !== titles[b]
          ? titles[a] < titles[b]
          : ids[a] < ids[b];
  }
  if (order === 'budget') {
    return (a, b) => {
      const ba = budgets[a];
      const bb = budgets[b];
      const na = Number.isNaN(ba);
      const nb = Number.isNaN(bb);
      if (na !== nb) return nb;
      return !na && ba !== bb ? ba > bb : ids[a] > ids[b];
    };
  }
  return (a, b) => (dates[a] !== dates[b] ? dates[a] > dates[b] : ids[a] > ids[b]);
}

/** A sort's comparison from an order's "comes before". */
export function byRank(better: (a: number, b: number) => boolean): (a: number, b: number) => number {
  return (a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0);
}

/** The best `k` slots of a set, best first, kept in a bounded heap whose root is the worst of them. */
export function bestOf(results: Bits, k: number, better: (a: number, b: number) => boolean): number[] {
  const heap: number[] = [];
  const worse = (a: number, b: number) => better(b, a);
  forEachSlot(results, (slot) => {
    if (heap.length < k) {
      heap.push(slot);
      siftUp(heap, heap.length - 1, worse);
    } else if (better(slot, heap[0])) {
      heap[0] = slot;
      siftDown(heap, 0, worse);
    }
  });
  return heap.sort(byRank(better));
}

/**
 * A score per result: for each AND group the rank of the best field holding one of its
 * words (an exact word above a completion of the last one), summed, times 1 000, plus how
 * many times the words occur.
 */
function relevanceScores(
  results: Bits,
  groups: RankGroups,
  postings: Map<string, LexemeList>,
  slots: number,
): Float64Array {
  const score = new Float64Array(slots);
  let best: Int8Array | undefined;
  for (const group of groups) {
    const lists = group.flatMap(({ lexeme, exact }) => {
      const list = postings.get(lexeme);
      return list ? [{ list, bonus: exact ? 1 : 0 }] : [];
    });
    // One word (most groups): its posting alone tells the best field.
    if (lists.length === 1) addOneWord(score, results, lists[0].list, lists[0].bonus);
    else if (lists.length > 1) {
      best ??= new Int8Array(slots).fill(-1);
      addBestOfWords(score, results, lists, best);
    }
  }
  return score;
}

/** Adds a one-word group's rank and frequency to the scores of the results. */
function addOneWord(score: Float64Array, results: Bits, list: LexemeList, bonus: number): void {
  const data = list.postings;
  for (let i = list.from; i < list.to; i++) {
    const p = data[i];
    const slot = p >>> SLOT_SHIFT;
    if ((results[slot >>> 5] & (1 << (slot & 31))) === 0) continue;
    score[slot] += (fieldRank((p >>> 4) & 15) * 2 + bonus) * 1000 + (p & 15);
  }
}

/**
 * Adds a group's frequencies and, once per result, the rank of its best word; `best` is all -1
 * before and after.
 */
function addBestOfWords(
  score: Float64Array,
  results: Bits,
  lists: Array<{ list: LexemeList; bonus: number }>,
  best: Int8Array,
): void {
  for (const { list, bonus } of lists) {
    const data = list.postings;
    for (let i = list.from; i < list.to; i++) {
      const p = data[i];
      const slot = p >>> SLOT_SHIFT;
      if ((results[slot >>> 5] & (1 << (slot & 31))) === 0) continue;
      const rank = fieldRank((p >>> 4) & 15) * 2 + bonus;
      if (rank > best[slot]) best[slot] = rank;
      score[slot] += p & 15;
    }
  }
  // Each result's best rank added once, then forgotten: the results are no more than the
  // postings read above, often far fewer (32 common words read twice cost 10 ms).
  for (let w = 0; w < results.length; w++) {
    for (let word = results[w]; word !== 0; ) {
      const low = word & -word;
      word ^= low;
      const slot = (w << 5) + 31 - Math.clz32(low);
      if (best[slot] < 0) continue;
      score[slot] += best[slot] * 1000;
      best[slot] = -1;
    }
  }
}

/** Relevance scores: by slot for every slot when the results are many, of the results alone when few. */
export type Scores = Float64Array | Map<number, number>;

/** A slot's score in `Scores`. */
export function scoreOf(scores: Scores, slot: number): number {
  return scores instanceof Float64Array ? scores[slot] : (scores.get(slot) ?? 0);
}

/**
 * Each result's relevance score: read from every posting of the words when the results are
 * many (`relevanceScores`), looked up in each list for each result when they are few. A query
 * of 45 common words that no fiche holds all of read 45 long lists for nothing: 9 ms at
 * 100 000 fiches.
 */
export function resultScores(
  results: Bits,
  groups: RankGroups,
  postings: Map<string, LexemeList>,
  slots: number,
): Scores {
  let read = 0;
  let lexemes = 0;
  for (const group of groups) {
    for (const { lexeme } of group) {
      read += postings.get(lexeme)?.length ?? 0;
      lexemes++;
    }
  }
  // A look-up is a binary search of about 20 steps at 100 000 fiches.
  if (cardinality(results) * lexemes * 20 < read) {
    const scores = new Map<number, number>();
    forEachSlot(results, (slot) => {
      scores.set(slot, scoreAt(slot, groups, postings));
    });
    return scores;
  }
  return relevanceScores(results, groups, postings, slots);
}

/**
 * The best `k` slots of a set by a number, highest first, then the latest, then the highest id:
 * relevance (the number is the score) and the latest first (the date), the orders of nearly
 * every search. Written out rather than with `bestOf`'s comparator, a call per slot: once `k`
 * are kept, a slot whose number is below the worst kept is passed over on one comparison
 * (2.5 ms of a cold search at 100 000 fiches went to the comparator).
 */
export function bestByNumber(
  results: Bits,
  k: number,
  numbers: Float64Array,
  { dates, ids }: Pick<SortColumns, 'dates' | 'ids'>,
): number[] {
  const better = (a: number, b: number) =>
    numbers[a] !== numbers[b] ? numbers[a] > numbers[b] : dates[a] !== dates[b] ? dates[a] > dates[b] : ids[a] > ids[b];
  const worse = (a: number, b: number) => better(b, a);
  const heap: number[] = [];
  let floor = Number.NEGATIVE_INFINITY;
  for (let w = 0; w < results.length; w++) {
    for (let word = results[w]; word !== 0; ) {
      const low = word & -word;
      word ^= low;
      const slot = (w << 5) + 31 - Math.clz32(low);
      if (heap.length < k) {
        heap.push(slot);
        siftUp(heap, heap.length - 1, worse);
        if (heap.length === k) floor = numbers[heap[0]];
      } else if (numbers[slot] >= floor && better(slot, heap[0])) {
        heap[0] = slot;
        siftDown(heap, 0, worse);
        floor = numbers[heap[0]];
      }
    }
  }
  return heap.sort(byRank(better));
}

/** What relevance reads: the match's words by AND group, every lexeme's postings, the slots. */
export interface RelevanceInputs {
  groups: RankGroups;
  postings: Map<string, LexemeList>;
  slots: number;
}

/** The best `k` slots of a set, best first, in an order. */
export function bestInOrder(
  results: Bits,
  k: number,
  order: IndexOrder,
  columns: SortColumns,
  { groups, postings, slots }: RelevanceInputs,
): number[] {
  if (order === 'relevance' && groups.length > 0) {
    const scores = resultScores(results, groups, postings, slots);
    return scores instanceof Float64Array
      ? bestByNumber(results, k, scores, columns)
      : bestOf(
          results,
          k,
          comparator(order, columns, (slot) => scoreOf(scores, slot)),
        );
  }
  // Without words every score is 0: the latest first.
  if (order === 'relevance' || order === 'recent') return bestByNumber(results, k, columns.dates, columns);
  return bestOf(
    results,
    k,
    comparator(order, columns, () => 0),
  );
}

/** One result's relevance score, as `relevanceScores` computes it for all. */
export function scoreAt(slot: number, groups: RankGroups, postings: Map<string, LexemeList>): number {
  let score = 0;
  for (const group of groups) {
    let best = -1;
    for (const { lexeme, exact } of group) {
      const p = postingIn(postings.get(lexeme), slot);
      if (p < 0) continue;
      const rank = fieldRank((p >>> 4) & 15) * 2 + (exact ? 1 : 0);
      if (rank > best) best = rank;
      score += p & 15;
    }
    if (best >= 0) score += best * 1000;
  }
  return score;
}

function siftUp(heap: number[], i: number, before: (a: number, b: number) => boolean): void {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i], heap[parent])) return;
    [heap[i], heap[parent]] = [heap[parent], heap[i]];
    i = parent;
  }
}

function siftDown(heap: number[], i: number, before: (a: number, b: number) => boolean): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let top = i;
    if (l < heap.length && before(heap[l], heap[top])) top = l;
    if (r < heap.length && before(heap[r], heap[top])) top = r;
    if (top === i) return;
    [heap[i], heap[top]] = [heap[top], heap[i]];
    i = top;
  }
}
