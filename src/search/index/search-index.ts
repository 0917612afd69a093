import { FACET_NAMES, type FacetName } from '../facets.js';
import { LruMap } from '../search.cache.js';
import { type QueryNode, readTsvector } from './text-search.js';

/** A search row as the index takes it (one row of `action_search`). */
export interface IndexRow {
  actionId: number;
  /** The tsvector's text form. */
  document: string;
  titleSort: string;
  /** Milliseconds since the epoch. */
  sortDate: number;
  structureId: number;
  budgetTotal: number | null;
  /** The codes of each facet: none, one or several. */
  facets: Record<FacetName, string[]>;
}

/** The orders a result list offers. */
export type IndexOrder = 'relevance' | 'recent' | 'title' | 'budget';

/** What to match: a text query (already analysed by PostgreSQL) and a scope; facets are counted apart. */
export interface IndexQuery {
  text?: QueryNode;
  /** Lexemes that only complete the last word being typed: they rank below the words typed. */
  completions?: ReadonlySet<string>;
  structureId?: number;
  actionIds?: number[];
}

/** A set of slots, one bit each. */
type Bits = Uint32Array;

/** A walk of a phrase's lists: the slots found so far, and each list's posting and position byte. */
interface PhraseWalk {
  bits: Bits;
  index: Int32Array;
  at: Int32Array;
}

// About 12 kB a walk at 100 000 fiches: the phrases of the synonyms and of the busiest queries,
// and as many of the commonest words.
const WALKS_KEPT = 256;

// A posting packs the slot (24 bits), the weights seen (4 bits) and the frequency (4 bits).
const SLOT_SHIFT = 8;
const MAX_SLOTS = 1 << 24;
// Up to this many new lexemes in one catch-up are inserted in the sorted list one by one.
const NEW_LEXEMES_INSERTED = 1_000;

/**
 * A growable array of numbers in a typed array, grown by an eighth when full: an index list
 * grows for good, and doubling would leave half of a large list's memory unused.
 */
export class Column<T extends Uint32Array | Int32Array | Float64Array | Uint16Array | Uint8Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (size: number) => T,
  ) {}

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(Math.max(16, this.data.length + (this.data.length >>> 3)));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
}

// One maker per type, shared: a closure per column would cost 77 000 functions at 100 000 fiches.
/** Makes a Uint32Array of `size`, for columns. */
export const makeUint32 = (size: number) => new Uint32Array(size);
/** Makes a Uint8Array of `size`, for columns. */
export const makeUint8 = (size: number) => new Uint8Array(size);
const makeUint16 = (size: number) => new Uint16Array(size);
const makeFloat64 = (size: number) => new Float64Array(size);
const makeInt32 = (size: number) => new Int32Array(size);
export const uint32 = (n: number) => new Column(new Uint32Array(n), makeUint32);
export const uint8 = (n: number) => new Column(new Uint8Array(n), makeUint8);

/**
 * A lexeme's postings, by slot, and their positions: for each posting in turn, the number of
 * positions then each one's distance from the previous, as varints (a position is below 16 384).
 */
export class LexemeList {
  constructor(
    readonly postings = uint32(2),
    readonly positions = uint8(4),
  ) {}

  pushVarint(value: number): void {
    if (value >= 128) {
      this.positions.push((value & 127) | 128);
      this.positions.push(value >>> 7);
    } else {
      this.positions.push(value);
    }
  }
}
const uint16 = (n: number) => new Column(new Uint16Array(n), makeUint16);
const float64 = (n: number) => new Column(new Float64Array(n), makeFloat64);
const int32 = (n: number) => new Column(new Int32Array(n), makeInt32);

/** A copy of a bitset with room for `words` words. */
function widened(bits: Uint32Array, words: number): Uint32Array<ArrayBuffer> {
  const bigger = new Uint32Array(words);
  bigger.set(bits);
  return bigger;
}

/** The codes of one facet: each fiche's value ids, in one pool, and the dictionary of codes. */
class FacetColumn {
  readonly ids = new Map<string, number>();
  readonly codes: string[] = [];
  /** Where each slot's values start in `pool`; they end where the next slot's start. */
  readonly starts = uint32(1024);
  readonly pool = uint16(1024);
  /** Each value's slots as a bitset, for counting broad matches (see `count`). */
  readonly bits: Uint32Array[] = [];
  /** The words each bitset holds, doubled when a slot falls beyond. */
  private capacity = 32;

  constructor() {
    this.starts.push(0);
  }

  add(codes: string[]): void {
    const slot = this.starts.length - 1;
    if (slot >>> 5 >= this.capacity) this.grow(slot);
    for (const code of codes) {
      let id = this.ids.get(code);
      if (id === undefined) {
        id = this.codes.length;
        this.ids.set(code, id);
        this.codes.push(code);
        this.bits.push(new Uint32Array(this.capacity));
      }
      this.pool.push(id);
      this.bits[id][slot >>> 5] |= 1 << (slot & 31);
    }
    this.starts.push(this.pool.length);
  }

  private grow(slot: number): void {
    while (slot >>> 5 >= this.capacity) this.capacity *= 2;
    for (let id = 0; id < this.bits.length; id++) this.bits[id] = widened(this.bits[id], this.capacity);
  }
}

/** A facet filtered on, by its place in FACET_NAMES, and which of its value ids it accepts. */
interface Selection {
  index: number;
  accepts: Uint8Array;
}

/** Facet counts by value id, per facet in FACET_NAMES' order, with the results and their number. */
interface Counted {
  total: number;
  results: Bits;
  counters: Int32Array[];
}

/** The size of the index, for the benchmarks. */
export interface IndexStats {
  fiches: number;
  slots: number;
  lexemes: number;
  postings: number;
  /** Bytes held by the typed arrays (lexeme strings and maps not counted). */
  bytes: number;
}

/** A posting: the slot, the weights seen and the number of positions (capped at 15). */
export function packPosting(slot: number, weights: number, count: number): number {
  return (slot << SLOT_SHIFT) | (weights << 4) | Math.min(Math.max(count, 1), 15);
}

/** The best weight of a posting's field, as a rank: title 3, résumé 2, other texts 1, context 0. */
function fieldRank(weights: number): number {
  return weights & 8 ? 3 : weights & 4 ? 2 : weights & 2 ? 1 : 0;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Where a match is certain and where PostgreSQL must tell (phrases: the index has no positions). */
interface Tri {
  sure: Bits;
  maybe: Bits;
}

/** The result of evaluating a query: the matching fiches and how to rank them. */
export interface IndexMatch {
  /** Slots that match the text and the scope (structure, ids), every facet ignored. */
  matched: Bits;
  /** Slots whose match PostgreSQL must confirm (a phrase); a subset of `matched`. */
  unsure: Bits;
  /** Lexemes whose postings rank the results, by AND group; prefix expansions marked. */
  groups: Array<Array<{ lexeme: string; exact: boolean }>>;
}

/**
 * The in-process search index (ADR 0013): postings of every lexeme of the stored tsvectors, with
 * field weight and frequency, and each fiche's facet codes, sort keys and budget, all in typed
 * arrays. A fiche changed or removed leaves a dead slot; the new version takes a new slot at the
 * end, so that every posting list stays sorted by appending.
 */
export class SearchIndex {
  private readonly slotOf = new Map<number, number>();
  private readonly actionIds = int32(1024);
  /** One bit per slot, set while the slot holds a fiche's current version. */
  private alive = new Uint32Array(32);
  private readonly sortDates = float64(1024);
  private readonly budgets = float64(1024);
  private readonly structures = int32(1024);
  private readonly titles: string[] = [];
  private readonly facets = Object.fromEntries(FACET_NAMES.map((name) => [name, new FacetColumn()])) as Record<
    FacetName,
    FacetColumn
  >;
  private readonly postings = new Map<string, LexemeList>();
  /** The lexemes in code-unit order, for prefix look-ups; sorted again when new ones came. */
  private sortedLexemes: string[] = [];
  private lexemesSorted = true;
  private liveCount = 0;
  /** Where the walk of a phrase's lists stopped, and what it found, by phrase. */
  private readonly phraseWalks = new LruMap<string, PhraseWalk>(WALKS_KEPT);
  /** The slots of the long lists read so far, by lexeme and weights. */
  private readonly listWalks = new LruMap<string, { bits: Bits; read: number }>(WALKS_KEPT);

  /** The number of fiches the index holds. */
  get size(): number {
    return this.liveCount;
  }

  /** The number of slots, dead ones included: a rebuild is due when too many are dead. */
  get slots(): number {
    return this.actionIds.length;
  }

  /** Adds or replaces fiches. */
  upsert(rows: IndexRow[]): void {
    const added: string[] = [];
    for (const row of rows) {
      const slot = this.addFiche(row);
      readTsvector(row.document, (lexeme, weights, positions, count) => {
        let list = this.postings.get(lexeme);
        if (!list) {
          list = new LexemeList();
          this.postings.set(lexeme, list);
          added.push(lexeme);
        }
        list.postings.push(packPosting(slot, weights, count));
        list.pushVarint(count);
        for (let i = 0, previous = 0; i < count; previous = positions[i++]) list.pushVarint(positions[i] - previous);
      });
    }
    // A publication's new words go in their place: sorting 77 000 lexemes again would cost the
    // next prefix search 25-45 ms. Many new words at once (a build) are sorted at the next use.
    if (added.length > NEW_LEXEMES_INSERTED) this.lexemesSorted = false;
    else if (this.lexemesSorted)
      for (const lexeme of added) this.sortedLexemes.splice(lowerBound(this.sortedLexemes, lexeme), 0, lexeme);
  }

  /** Adds a fiche's own columns (its words aside) in a new slot, replacing any older version. */
  addFiche(row: IndexRow): number {
    this.remove([row.actionId]);
    const slot = this.actionIds.length;
    if (slot >= MAX_SLOTS) throw new Error('index de recherche plein : reconstruction nécessaire');
    this.slotOf.set(row.actionId, slot);
    this.actionIds.push(row.actionId);
    if (slot >>> 5 >= this.alive.length) this.alive = widened(this.alive, this.alive.length * 2);
    this.alive[slot >>> 5] |= 1 << (slot & 31);
    this.sortDates.push(row.sortDate);
    this.budgets.push(row.budgetTotal ?? Number.NaN);
    this.structures.push(row.structureId);
    this.titles.push(row.titleSort);
    for (const name of FACET_NAMES) this.facets[name].add(row.facets[name]);
    this.liveCount++;
    return slot;
  }

  /** Takes the lexeme lists of a bulk build (see bulk-build.ts); the index must hold no words yet. */
  adoptLexemes(lists: Map<string, LexemeList>): void {
    if (this.postings.size > 0) throw new Error('index de recherche déjà rempli');
    for (const [lexeme, list] of lists) this.postings.set(lexeme, list);
    // Sorted while the index is built, not at the first search.
    this.sortedLexemes = [...this.postings.keys()].sort();
    this.lexemesSorted = true;
  }

  /** Removes fiches (unpublished or deleted); unknown ids are ignored. */
  remove(actionIds: number[]): void {
    for (const id of actionIds) {
      const slot = this.slotOf.get(id);
      if (slot === undefined) continue;
      this.alive[slot >>> 5] &= ~(1 << (slot & 31));
      this.slotOf.delete(id);
      this.liveCount--;
    }
  }

  /**
   * The version of a fiche in this index: its slot, which no other version of it or other fiche
   * takes in this index, since a change takes a new slot. undefined when the index lacks it.
   */
  versionOf(actionId: number): number | undefined {
    return this.slotOf.get(actionId);
  }

  /** Whether some fiche holds this lexeme (a word's stem). */
  knows(lexeme: string): boolean {
    const list = this.postings.get(lexeme)?.postings;
    if (!list) return false;
    for (let i = 0; i < list.length; i++) if (this.isAlive(list.data[i] >>> SLOT_SHIFT)) return true;
    return false;
  }

  /** Sizes, for the benchmarks and the logs. */
  stats(): IndexStats {
    let postings = 0;
    let bytes = 0;
    for (const list of this.postings.values()) {
      postings += list.postings.length;
      bytes += list.postings.data.byteLength + list.positions.data.byteLength;
    }
    const columns = [this.actionIds, this.sortDates, this.budgets, this.structures];
    for (const c of columns) bytes += c.data.byteLength;
    bytes += this.alive.byteLength;
    for (const f of Object.values(this.facets)) {
      bytes += f.starts.data.byteLength + f.pool.data.byteLength;
      for (const bits of f.bits) bytes += bits.byteLength;
    }
    return { fiches: this.liveCount, slots: this.slots, lexemes: this.postings.size, postings, bytes };
  }

  /**
   * The live slots of every lexeme and of every facet value, sorted, for the benchmark that
   * compares set layouts (`bench:bitsets`): the index keeps neither in this form.
   */
  sets(): { lexemes: Map<string, Uint32Array>; facets: Record<FacetName, Map<string, Uint32Array>> } {
    const lexemes = new Map<string, Uint32Array>();
    for (const [lexeme, list] of this.postings) {
      const slots: number[] = [];
      for (let i = 0; i < list.postings.length; i++) {
        const slot = list.postings.data[i] >>> SLOT_SHIFT;
        if (this.isAlive(slot)) slots.push(slot);
      }
      if (slots.length > 0) lexemes.set(lexeme, Uint32Array.from(slots));
    }
    const facets = {} as Record<FacetName, Map<string, Uint32Array>>;
    for (const name of FACET_NAMES) {
      const { starts, pool, codes } = this.facets[name];
      const byValue = codes.map((): number[] => []);
      for (let slot = 0; slot < this.slots; slot++) {
        if (!this.isAlive(slot)) continue;
        for (let i = starts.data[slot]; i < starts.data[slot + 1]; i++) byValue[pool.data[i]].push(slot);
      }
      facets[name] = new Map(codes.map((code, id) => [code, Uint32Array.from(byValue[id])]));
    }
    return { lexemes, facets };
  }

  private words(): number {
    return (this.slots + 31) >>> 5;
  }

  private empty(): Bits {
    return new Uint32Array(this.words());
  }

  private allAlive(): Bits {
    return this.alive.slice(0, this.words());
  }

  private isAlive(slot: number): boolean {
    return hasSlot(this.alive, slot);
  }

  /** The lexemes a query lexeme stands for: itself, and with a prefix every lexeme it starts. */
  private expand(lexeme: string, prefix: boolean): string[] {
    if (!prefix) return [lexeme];
    if (!this.lexemesSorted) {
      this.sortedLexemes = [...this.postings.keys()].sort();
      this.lexemesSorted = true;
    }
    const sorted = this.sortedLexemes;
    const found: string[] = [];
    for (let i = lowerBound(sorted, lexeme); i < sorted.length && sorted[i].startsWith(lexeme); i++)
      found.push(sorted[i]);
    return found;
  }

  private lexemeBits(lexeme: string, prefix: boolean, weights: number): Bits {
    const bits = this.empty();
    const words = bits.length;
    for (const each of this.expand(lexeme, prefix)) {
      const list = this.postings.get(each)?.postings;
      if (!list) continue;
      // A long list's slots are kept as a set, taken up from where they stopped: ORing a set
      // costs a word per 32 slots, reading the list a posting per fiche that holds the word.
      if (list.length > words) {
        const key = `${each}\u0000${weights}`;
        const walk = this.walkOf(this.listWalks, key, () => ({ bits: this.empty(), read: 0 }));
        setSlots(walk.bits, list.data, walk.read, list.length, weights);
        walk.read = list.length;
        for (let w = 0; w < words; w++) bits[w] |= walk.bits[w];
      } else {
        setSlots(bits, list.data, 0, list.length, weights);
      }
    }
    return bits;
  }

  /** The walk kept under `key` (a new one if none), its set as wide as the slots. */
  private walkOf<W extends { bits: Bits }>(walks: LruMap<string, W>, key: string, start: () => W): W {
    let walk = walks.get(key);
    if (!walk) {
      walk = start();
      walks.set(key, walk);
    }
    // Grown by an eighth, as the lists are: a word at a time would copy the set at every write.
    const words = this.words();
    if (walk.bits.length < words) walk.bits = widened(walk.bits, words + (words >>> 3));
    return walk;
  }

  /**
   * The slots where a phrase of plain lexemes matches, from the positions: each lexeme at its
   * distance from the first. Undefined for any other phrase, which PostgreSQL checks. The walk
   * is kept and taken up again at the next search: lists only grow at their end, by new slots,
   * so a phrase costs the postings added since, not its whole lists again (dead slots stay in
   * the set; every caller keeps the live ones).
   */
  private phraseBits(node: Extract<QueryNode, { kind: 'phrase' }>): Bits | undefined {
    const lists: LexemeList[] = [];
    for (const child of node.children) {
      if (child.kind !== 'lexeme' || child.prefix || child.weights !== 0) return undefined;
      const list = this.postings.get(child.lexeme);
      if (!list) return this.empty();
      lists.push(list);
    }
    const key = JSON.stringify([node.children.map((c) => (c.kind === 'lexeme' ? c.lexeme : '')), node.distances]);
    const k = lists.length;
    const start = () => ({ bits: this.empty(), index: new Int32Array(k), at: new Int32Array(k) });
    const { bits, index, at } = this.walkOf(this.phraseWalks, key, start);
    const offsets = [0];
    for (const d of node.distances) offsets.push(offsets[offsets.length - 1] + d);
    const positions = lists.map(() => new Uint16Array(256));
    const counts = new Int32Array(k);
    const skip = (j: number) => {
      const bytes = lists[j].positions.data;
      let p = at[j];
      let count = bytes[p++];
      if (count >= 128) count = (count & 127) | (bytes[p++] << 7);
      for (let c = 0; c < count; c++) p += bytes[p] >= 128 ? 2 : 1;
      at[j] = p;
      index[j]++;
    };
    const read = (j: number) => {
      const bytes = lists[j].positions.data;
      let p = at[j];
      let count = bytes[p++];
      if (count >= 128) count = (count & 127) | (bytes[p++] << 7);
      let position = 0;
      for (let c = 0; c < count; c++) {
        const b = bytes[p++];
        position += b < 128 ? b : (b & 127) | (bytes[p++] << 7);
        positions[j][c] = position;
      }
      counts[j] = count;
      at[j] = p;
      index[j]++;
    };
    const slotOf = (j: number) => lists[j].postings.data[index[j]] >>> SLOT_SHIFT;
    // The callers change the set they get: a copy.
    const done = () => bits.slice(0, this.words());
    for (;;) {
      let target = -1;
      for (let j = 0; j < k; j++) {
        if (index[j] >= lists[j].postings.length) return done();
        target = Math.max(target, slotOf(j));
      }
      let aligned = true;
      for (let j = 0; j < k; j++) {
        while (index[j] < lists[j].postings.length && slotOf(j) < target) skip(j);
        if (index[j] >= lists[j].postings.length) return done();
        if (slotOf(j) !== target) aligned = false;
      }
      if (!aligned) continue;
      for (let j = 0; j < k; j++) read(j);
      if (this.phraseAt(positions, counts, offsets)) bits[target >>> 5] |= 1 << (target & 31);
    }
  }

  /** Whether some position of the first lexeme has each other one at its offset from it. */
  private phraseAt(positions: Uint16Array[], counts: Int32Array, offsets: number[]): boolean {
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

  /** Every slot that may match: a phrase's words all present, a negation left open. */
  private superset(node: QueryNode, all: Bits): Bits {
    switch (node.kind) {
      case 'lexeme':
        return this.lexemeBits(node.lexeme, node.prefix, node.weights);
      case 'not':
        return all.slice();
      case 'or': {
        const out = this.empty();
        for (const child of node.children) orInto(out, this.superset(child, all));
        return out;
      }
      default: {
        const out = this.superset(node.children[0], all);
        for (const child of node.children.slice(1)) andInto(out, this.superset(child, all));
        return out;
      }
    }
  }

  private evaluate(node: QueryNode, all: Bits): Tri {
    switch (node.kind) {
      case 'lexeme':
        return { sure: this.lexemeBits(node.lexeme, node.prefix, node.weights), maybe: this.empty() };
      case 'phrase': {
        const exact = this.phraseBits(node);
        return exact ? { sure: exact, maybe: this.empty() } : { sure: this.empty(), maybe: this.superset(node, all) };
      }
      case 'not': {
        const inner = this.evaluate(node.child, all);
        const sure = all.slice();
        andNotInto(sure, inner.sure);
        andNotInto(sure, inner.maybe);
        return { sure, maybe: inner.maybe };
      }
      case 'or': {
        const sure = this.empty();
        const maybe = this.empty();
        for (const child of node.children) {
          const t = this.evaluate(child, all);
          orInto(sure, t.sure);
          orInto(maybe, t.maybe);
        }
        andNotInto(maybe, sure);
        return { sure, maybe };
      }
      case 'and': {
        let sure: Bits | undefined;
        let possible: Bits | undefined;
        for (const child of node.children) {
          const t = this.evaluate(child, all);
          const either = t.sure.slice();
          orInto(either, t.maybe);
          if (!sure || !possible) {
            sure = t.sure;
            possible = either;
          } else {
            andInto(sure, t.sure);
            andInto(possible, either);
          }
        }
        const s = sure as Bits;
        const maybe = possible as Bits;
        andNotInto(maybe, s);
        return { sure: s, maybe };
      }
    }
  }

  /** The fiches that match a query's text and scope, facets aside. */
  match(query: IndexQuery): IndexMatch {
    const all = this.allAlive();
    let matched = all;
    let unsure = this.empty();
    const groups: IndexMatch['groups'] = [];
    if (query.text) {
      const t = this.evaluate(query.text, all);
      matched = t.sure;
      orInto(matched, t.maybe);
      andInto(matched, all);
      unsure = t.maybe;
      andInto(unsure, all);
      for (const group of andGroups(query.text)) {
        const lexemes: IndexMatch['groups'][number] = [];
        for (const leaf of positiveLeaves(group)) {
          for (const each of this.expand(leaf.lexeme, leaf.prefix))
            lexemes.push({ lexeme: each, exact: each === leaf.lexeme && !query.completions?.has(each) });
        }
        if (lexemes.length > 0) groups.push(lexemes);
      }
    }
    if (query.structureId !== undefined || query.actionIds) {
      const scope = this.empty();
      if (query.actionIds) {
        for (const id of query.actionIds) {
          const slot = this.slotOf.get(id);
          if (slot !== undefined) scope[slot >>> 5] |= 1 << (slot & 31);
        }
      } else {
        orInto(scope, all);
      }
      if (query.structureId !== undefined) {
        const structures = this.structures.data;
        for (let s = 0; s < this.slots; s++) {
          if (structures[s] !== query.structureId) scope[s >>> 5] &= ~(1 << (s & 31));
        }
      }
      andInto(matched, scope);
      andInto(unsure, scope);
    }
    return { matched, unsure, groups };
  }

  /** The action ids of the slots in a set, in slot order. */
  idsOf(bits: Bits): number[] {
    const ids: number[] = [];
    forEachSlot(bits, (slot) => {
      ids.push(this.actionIds.data[slot]);
    });
    return ids;
  }

  /**
   * Where each fiche's snippet should come from, from the weights of the words that matched:
   * the résumé when it holds a word of every group, the other texts when they hold one, or no
   * field (the words are in the title or the context only), so that PostgreSQL analyses only
   * the fields that may give one.
   */
  snippetSources(actionIds: number[], match: IndexMatch): Array<'summary' | 'texts' | 'none'> {
    return actionIds.map((id) => {
      const slot = this.slotOf.get(id);
      if (slot === undefined || match.groups.length === 0) return 'none';
      let everyInSummary = true;
      let anyInTexts = false;
      for (const group of match.groups) {
        let inSummary = false;
        for (const { lexeme } of group) {
          const weights = this.weightsAt(lexeme, slot);
          inSummary ||= (weights & 4) !== 0;
          anyInTexts ||= (weights & 6) !== 0;
        }
        everyInSummary &&= inSummary;
      }
      return everyInSummary ? 'summary' : anyInTexts ? 'texts' : 'none';
    });
  }

  /** The weights a lexeme has in a slot (0 when absent). */
  private weightsAt(lexeme: string, slot: number): number {
    const p = this.postingAt(lexeme, slot);
    return p < 0 ? 0 : (p >>> 4) & 15;
  }

  /** A lexeme's posting in a slot, or -1: postings are sorted by slot. */
  private postingAt(lexeme: string, slot: number): number {
    const list = this.postings.get(lexeme)?.postings;
    if (!list) return -1;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list.data[mid] >>> SLOT_SHIFT < slot) lo = mid + 1;
      else hi = mid;
    }
    return lo < list.length && list.data[lo] >>> SLOT_SHIFT === slot ? list.data[lo] : -1;
  }

  /** Drops from a match the fiches PostgreSQL found not to match after all. */
  confirm(match: IndexMatch, confirmed: number[]): void {
    const keep = this.empty();
    for (const id of confirmed) {
      const slot = this.slotOf.get(id);
      if (slot !== undefined) keep[slot >>> 5] |= 1 << (slot & 31);
    }
    for (let w = 0; w < match.matched.length; w++) {
      match.matched[w] &= ~match.unsure[w] | keep[w];
      match.unsure[w] = 0;
    }
  }

  /**
   * Counts the facets over a match: the total with every filter, and each facet's values with
   * the other facets' filters only (its own values are alternatives), or with them all
   * (`within`, the counts among the results). Returns the slots of the results too.
   */
  count(
    match: IndexMatch,
    filters: Partial<Record<FacetName, string[]>>,
    within = false,
  ): { total: number; results: Bits; counts: Record<FacetName, Map<string, number>> } {
    const selected: Selection[] = [];
    FACET_NAMES.forEach((name, index) => {
      const codes = filters[name] ?? [];
      if (codes.length === 0) return;
      const column = this.facets[name];
      const accepts = new Uint8Array(column.codes.length);
      for (const code of codes) {
        const id = column.ids.get(code);
        if (id !== undefined) accepts[id] = 1;
      }
      selected.push({ index, accepts });
    });
    const columns = FACET_NAMES.map((name) => this.facets[name]);
    const values = columns.reduce((n, c) => n + c.codes.length, 0);
    // Reading one match's values costs about as much as 35 words of bitsets (one AND and
    // popcount each): for broad matches, the values' bitsets are faster (bench:bitsets, 100 000
    // fiches: 1.5 ms against 4.7 ms for the pass).
    const broad = cardinality(match.matched) * 35 > values * match.matched.length;
    const { total, results, counters } = broad
      ? this.countFromBitsets(match.matched, columns, selected, within)
      : this.countByPass(match.matched, columns, selected, within);
    const counts = {} as Record<FacetName, Map<string, number>>;
    FACET_NAMES.forEach((name, f) => {
      const values = new Map<string, number>();
      counters[f].forEach((n, id) => {
        if (n > 0) values.set(columns[f].codes[id], n);
      });
      counts[name] = values;
    });
    return { total, results, counts };
  }

  /** Facet counts from each value's bitset: one AND and popcount per word of each. */
  private countFromBitsets(matched: Bits, columns: FacetColumn[], selected: Selection[], within: boolean): Counted {
    const words = matched.length;
    const accepted = selected.map(({ index, accepts }) => {
      const any = this.empty();
      columns[index].bits.forEach((bits, id) => {
        if (accepts[id]) orInto(any, bits);
      });
      return { index, any };
    });
    // The matches with every filter, or with all but one facet's own (its values are alternatives).
    const filtered = (except: number) => {
      const out = matched.slice();
      for (const { index, any } of accepted) if (index !== except) andInto(out, any);
      return out;
    };
    const results = filtered(-1);
    const counters = columns.map((column, f) => {
      const among = !within && accepted.some((a) => a.index === f) ? filtered(f) : results;
      const counter = new Int32Array(column.codes.length);
      for (let id = 0; id < column.bits.length; id++) {
        const bits = column.bits[id];
        let n = 0;
        for (let w = 0; w < words; w++) n += popcount(among[w] & bits[w]);
        counter[id] = n;
      }
      return counter;
    });
    return { total: cardinality(results), results, counters };
  }

  /** Facet counts by one pass over the matches, reading each one's values: for narrow matches. */
  private countByPass(matched: Bits, columns: FacetColumn[], selected: Selection[], within: boolean): Counted {
    const starts = columns.map((c) => c.starts.data);
    const pools = columns.map((c) => c.pool.data);
    const counters = columns.map((c) => new Int32Array(c.codes.length));
    const results = this.empty();
    const facetCount = columns.length;
    let total = 0;
    // Inlined: this loop is most of a search's time.
    for (let w = 0; w < matched.length; w++) {
      let word = matched[w];
      while (word !== 0) {
        const low = word & -word;
        word ^= low;
        const slot = (w << 5) + 31 - Math.clz32(low);
        let misses = 0;
        let missed = -1;
        for (let k = 0; k < selected.length; k++) {
          const { index, accepts } = selected[k];
          const pool = pools[index];
          let ok = false;
          for (let i = starts[index][slot], end = starts[index][slot + 1]; i < end; i++) {
            if (accepts[pool[i]]) {
              ok = true;
              break;
            }
          }
          if (!ok) {
            missed = index;
            if (++misses > 1) break;
          }
        }
        if (misses === 0) {
          total++;
          results[w] |= low;
          for (let f = 0; f < facetCount; f++) {
            const pool = pools[f];
            const counter = counters[f];
            for (let i = starts[f][slot], end = starts[f][slot + 1]; i < end; i++) counter[pool[i]]++;
          }
        } else if (misses === 1 && !within) {
          const pool = pools[missed];
          const counter = counters[missed];
          for (let i = starts[missed][slot], end = starts[missed][slot + 1]; i < end; i++) counter[pool[i]]++;
        }
      }
    }
    return { total, results, counters };
  }

  /** The stated budgets of a set of slots, overall and by keyword, for medians. */
  budgetsOf(bits: Bits): { all: number[]; byKeyword: Map<string, number[]> } {
    const all: number[] = [];
    const byKeyword = new Map<string, number[]>();
    const { starts, pool, codes } = this.facets.keyword;
    forEachSlot(bits, (slot) => {
      const amount = this.budgets.data[slot];
      if (Number.isNaN(amount)) return;
      all.push(amount);
      for (let i = starts.data[slot]; i < starts.data[slot + 1]; i++) {
        const code = codes[pool.data[i]];
        const list = byKeyword.get(code) ?? [];
        list.push(amount);
        byKeyword.set(code, list);
      }
    });
    return { all, byKeyword };
  }

  /**
   * The slots of the best `k` results, best first, in an order. Relevance ranks by
   * where the words are (title, then résumé, then the other texts, then the context), then by
   * how often they occur, then the latest first; every order ends on the id, so ties are stable.
   */
  topSlots(results: Bits, match: IndexMatch, order: IndexOrder, k: number): number[] {
    if (k <= 0) return [];
    const scores = order === 'relevance' && match.groups.length > 0 ? this.relevance(results, match) : undefined;
    // Without words every score is 0: the latest first.
    const better = this.comparator(order, (slot) => (scores ? scores[slot] : 0));
    // A bounded heap whose root is the worst of the best k seen so far.
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
   * The best `k` slots after a change, from the best `k` before it: none of the removed slots
   * was among them, so they are the best of what stayed, and the new best are among them and
   * the added slots. Undefined when a removed slot was among them: rank afresh then.
   */
  retop(
    previous: number[],
    removed: Bits,
    added: Bits,
    match: IndexMatch,
    order: IndexOrder,
    k: number,
  ): number[] | undefined {
    if (previous.some((slot) => hasSlot(removed, slot))) return undefined;
    const candidates = previous.slice();
    forEachSlot(added, (slot) => {
      candidates.push(slot);
    });
    const better = this.comparator(order, (slot) => this.scoreAt(slot, match));
    return candidates.sort(byRank(better)).slice(0, k);
  }

  /** The action ids of these slots. */
  actionIdsAt(slots: number[]): number[] {
    return slots.map((slot) => this.actionIds.data[slot]);
  }

  /** Whether slot `a` comes before slot `b` in an order; `score` gives relevance. */
  private comparator(order: IndexOrder, score: (slot: number) => number): (a: number, b: number) => boolean {
    const dates = this.sortDates.data;
    const ids = this.actionIds.data;
    if (order === 'relevance') {
      return (a, b) => {
        const sa = score(a);
        const sb = score(b);
        return sa !== sb ? sa > sb : dates[a] !== dates[b] ? dates[a] > dates[b] : ids[a] > ids[b];
      };
    }
    if (order === 'title') {
      const titles = this.titles;
      return (a, b) => (titles[a] !== titles[b] ? titles[a] < titles[b] : ids[a] < ids[b]);
    }
    if (order === 'budget') {
      const budgets = this.budgets.data;
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

  /** One result's relevance score, as `relevance` computes it for all. */
  private scoreAt(slot: number, match: IndexMatch): number {
    let score = 0;
    for (const group of match.groups) {
      let best = -1;
      for (const { lexeme, exact } of group) {
        const p = this.postingAt(lexeme, slot);
        if (p < 0) continue;
        const rank = fieldRank((p >>> 4) & 15) * 2 + (exact ? 1 : 0);
        if (rank > best) best = rank;
        score += p & 15;
      }
      if (best >= 0) score += best * 1000;
    }
    return score;
  }

  /**
   * A score per result: for each AND group the rank of the best field holding one of its
   * words (an exact word above a completion of the last one), summed, times 1 000, plus how
   * many times the words occur.
   */
  private relevance(results: Bits, match: IndexMatch): Float64Array {
    const score = new Float64Array(this.slots);
    const best = new Int8Array(this.slots).fill(-1);
    for (const group of match.groups) {
      for (const { lexeme, exact } of group) {
        const list = this.postings.get(lexeme)?.postings;
        if (!list) continue;
        const data = list.data;
        for (let i = 0; i < list.length; i++) {
          const p = data[i];
          const slot = p >>> SLOT_SHIFT;
          if ((results[slot >>> 5] & (1 << (slot & 31))) === 0) continue;
          const rank = fieldRank((p >>> 4) & 15) * 2 + (exact ? 1 : 0);
          if (rank > best[slot]) best[slot] = rank;
          score[slot] += p & 15;
        }
      }
      forEachSlot(results, (slot) => {
        if (best[slot] >= 0) score[slot] += best[slot] * 1000;
        best[slot] = -1;
      });
    }
    return score;
  }
}

/** A sort's comparison from an order's "comes before". */
function byRank(better: (a: number, b: number) => boolean): (a: number, b: number) => number {
  return (a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0);
}

/** Sets in `bits` the slots of postings `from` to `to` that hold a word in one of `weights` (0: any). */
function setSlots(bits: Bits, postings: Uint32Array, from: number, to: number, weights: number): void {
  for (let i = from; i < to; i++) {
    const p = postings[i];
    if (weights !== 0 && ((p >>> 4) & weights & 15) === 0) continue;
    const slot = p >>> SLOT_SHIFT;
    bits[slot >>> 5] |= 1 << (slot & 31);
  }
}

/** Whether a set holds a slot; a slot beyond the set's words is not in it. */
export function hasSlot(bits: Uint32Array, slot: number): boolean {
  return slot >>> 5 < bits.length && (bits[slot >>> 5] & (1 << (slot & 31))) !== 0;
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

function orInto(target: Bits, other: Bits): void {
  for (let w = 0; w < target.length; w++) target[w] |= other[w];
}

function andInto(target: Bits, other: Bits): void {
  for (let w = 0; w < target.length; w++) target[w] &= other[w];
}

function andNotInto(target: Bits, other: Bits): void {
  for (let w = 0; w < target.length; w++) target[w] &= ~other[w];
}

/** Calls `each` for every slot in a set, in slot order. */
function forEachSlot(bits: Bits, each: (slot: number) => void): void {
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w];
    while (word !== 0) {
      const low = word & -word;
      each((w << 5) + 31 - Math.clz32(low));
      word ^= low;
    }
  }
}

/** The number of slots in a set. */
export function cardinality(bits: Bits): number {
  let n = 0;
  for (let w = 0; w < bits.length; w++) n += popcount(bits[w]);
  return n;
}

/** The parts of a query joined by AND at its top. */
function andGroups(node: QueryNode): QueryNode[] {
  return node.kind === 'and' ? node.children.flatMap(andGroups) : [node];
}

/** The lexemes of a query that are wanted, not excluded. */
function positiveLeaves(node: QueryNode): Array<{ lexeme: string; prefix: boolean }> {
  switch (node.kind) {
    case 'lexeme':
      return [{ lexeme: node.lexeme, prefix: node.prefix }];
    case 'not':
      return [];
    default:
      return node.children.flatMap(positiveLeaves);
  }
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
