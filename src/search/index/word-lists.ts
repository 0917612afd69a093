import { LruMap } from '../search.cache.js';
import { type Bits, widened } from './bits.js';
import { marksBytes, type PhraseWalk, startPhraseWalk, walkPhrase } from './phrases.js';
import { LexemeList, lowerBound, postingIn, SLOT_SHIFT, setSlots, weightsOfPosting } from './postings.js';
import type { RankGroups } from './ranking.js';
import { type QueryNode, readTsvector } from './text-search.js';

/** The field a result's snippet is taken from. */
export type SnippetSource = 'summary' | 'texts' | 'none';

// About 12 kB a walk at 100 000 fiches: the phrases of the synonyms and of the busiest queries,
// and as many of the commonest words.
const WALKS_KEPT = 256;
// Up to this many new lexemes in one catch-up are inserted in the sorted list one by one.
const NEW_LEXEMES_INSERTED = 1_000;

/**
 * The index's words: each lexeme's postings and positions, the lexemes sorted for prefixes, and
 * the walks of long lists and phrases kept from one search to the next. Sets are as wide as
 * `words()`, the index's slots in 32-bit words.
 */
export class WordLists {
  /** The postings of each lexeme. */
  readonly lists = new Map<string, LexemeList>();
  /** The lexemes in code-unit order, for prefix look-ups; sorted again when new ones came. */
  private sorted: string[] = [];
  private isSorted = true;
  /** Where the walk of a phrase's lists stopped, and what it found, by phrase. */
  private readonly phraseWalks = new LruMap<string, PhraseWalk>(WALKS_KEPT);
  /** The slots of the long lists read so far, by lexeme and weights. */
  private readonly listWalks = new LruMap<string, { bits: Bits; read: number }>(WALKS_KEPT);

  constructor(private readonly words: () => number) {}

  /** Adds the words of fiches' tsvectors (their text form), each at its slot. */
  add(fiches: Array<{ slot: number; document: string }>): void {
    const added: string[] = [];
    for (const { slot, document } of fiches) {
      readTsvector(document, (lexeme, weights, positions, count) => {
        let list = this.lists.get(lexeme);
        if (!list) {
          list = new LexemeList();
          this.lists.set(lexeme, list);
          added.push(lexeme);
        }
        list.push(slot, weights, positions, count);
      });
    }
    // A publication's new words go in their place: sorting 77 000 lexemes again would cost the
    // next prefix search 25-45 ms. Many new words at once (a build) are sorted at the next use.
    if (added.length > NEW_LEXEMES_INSERTED) this.isSorted = false;
    else if (this.isSorted) for (const lexeme of added) this.sorted.splice(lowerBound(this.sorted, lexeme), 0, lexeme);
  }

  /** Takes the lexeme lists of a bulk build (see bulk-build.ts); there must be no words yet. */
  adopt(lists: Map<string, LexemeList>): void {
    if (this.lists.size > 0) throw new Error('index de recherche déjà rempli');
    for (const [lexeme, list] of lists) this.lists.set(lexeme, list);
    // Sorted while the index is built, not at the first search.
    this.sorted = [...this.lists.keys()].sort();
    this.isSorted = true;
  }

  /** Whether a slot that `isAlive` accepts holds this lexeme. */
  holds(lexeme: string, isAlive: (slot: number) => boolean): boolean {
    const list = this.lists.get(lexeme);
    if (!list) return false;
    for (let i = list.from; i < list.to; i++) if (isAlive(list.postings[i] >>> SLOT_SHIFT)) return true;
    return false;
  }

  /** The slots of every lexeme that `isAlive` accepts, sorted; lexemes without any left out. */
  liveSlots(isAlive: (slot: number) => boolean): Map<string, Uint32Array> {
    const lexemes = new Map<string, Uint32Array>();
    for (const [lexeme, list] of this.lists) {
      const slots: number[] = [];
      for (let i = list.from; i < list.to; i++) {
        const slot = list.postings[i] >>> SLOT_SHIFT;
        if (isAlive(slot)) slots.push(slot);
      }
      if (slots.length > 0) lexemes.set(lexeme, Uint32Array.from(slots));
    }
    return lexemes;
  }

  /**
   * Where a fiche's snippet should come from, from the weights of the words that matched: the
   * résumé when it holds a word of every group, the other texts when they hold one, or no field
   * (the words are in the title or the context only).
   */
  snippetSourceAt(slot: number, groups: RankGroups): SnippetSource {
    if (groups.length === 0) return 'none';
    let everyInSummary = true;
    let anyInTexts = false;
    for (const group of groups) {
      let inSummary = false;
      for (const { lexeme } of group) {
        const p = postingIn(this.lists.get(lexeme), slot);
        const weights = p < 0 ? 0 : weightsOfPosting(p);
        inSummary ||= (weights & 4) !== 0;
        anyInTexts ||= (weights & 6) !== 0;
      }
      everyInSummary &&= inSummary;
    }
    return everyInSummary ? 'summary' : anyInTexts ? 'texts' : 'none';
  }

  /** The number of postings and the bytes their typed arrays hold (shared ones counted once). */
  stats(): { lexemes: number; postings: number; bytes: number; phraseWalks: number } {
    let postings = 0;
    const buffers = new Set<ArrayBufferLike>();
    for (const list of this.lists.values()) {
      postings += list.length;
      buffers.add(list.postings.buffer).add(list.positions.buffer);
    }
    let bytes = 0;
    for (const buffer of buffers) bytes += buffer.byteLength;
    for (const list of this.lists.values()) bytes += marksBytes(list);
    return { lexemes: this.lists.size, postings, bytes, phraseWalks: this.phraseWalks.size };
  }

  /** The lexemes a query lexeme stands for: itself, and with a prefix every lexeme it starts. */
  expand(lexeme: string, prefix: boolean): string[] {
    if (!prefix) return [lexeme];
    if (!this.isSorted) {
      this.sorted = [...this.lists.keys()].sort();
      this.isSorted = true;
    }
    const sorted = this.sorted;
    const found: string[] = [];
    for (let i = lowerBound(sorted, lexeme); i < sorted.length && sorted[i].startsWith(lexeme); i++)
      found.push(sorted[i]);
    return found;
  }

  /** How many postings a lexeme's list holds, dead slots included (with `prefix`, of every lexeme it starts). */
  postingCount(lexeme: string, prefix: boolean): number {
    let count = 0;
    for (const each of this.expand(lexeme, prefix)) count += this.lists.get(each)?.length ?? 0;
    return count;
  }

  /** The slots holding a lexeme (or with `prefix` any it starts) in one of `weights` (0: any). */
  lexemeBits(lexeme: string, prefix: boolean, weights: number): Bits {
    const words = this.words();
    const bits = new Uint32Array(words);
    for (const each of this.expand(lexeme, prefix)) {
      const list = this.lists.get(each);
      if (!list) continue;
      // A long list's slots are kept as a set, taken up from where they stopped: ORing a set
      // costs a word per 32 slots, reading the list a posting per fiche that holds the word.
      if (list.length > words) {
        const key = `${each}\u0000${weights}`;
        const walk = this.walkOf(this.listWalks, key, () => ({ bits: new Uint32Array(words), read: 0 }));
        setSlots(walk.bits, list.postings, list.from + walk.read, list.to, weights);
        walk.read = list.length;
        for (let w = 0; w < words; w++) bits[w] |= walk.bits[w];
      } else {
        setSlots(bits, list.postings, list.from, list.to, weights);
      }
    }
    return bits;
  }

  /**
   * The slots where a phrase of plain lexemes matches, from the positions (phrases.ts), its walk
   * kept for the next search: a phrase costs the postings added since, not its whole lists again
   * (dead slots stay in the set; every caller keeps the live ones). Undefined for any other
   * phrase, which PostgreSQL checks.
   */
  phraseBits(node: Extract<QueryNode, { kind: 'phrase' }>, candidates: Bits): Bits | undefined {
    const lists: LexemeList[] = [];
    for (const child of node.children) {
      if (child.kind !== 'lexeme' || child.prefix || child.weights !== 0) return undefined;
      const list = this.lists.get(child.lexeme);
      if (!list) return new Uint32Array(this.words());
      lists.push(list);
    }
    const key = JSON.stringify([node.children.map((c) => (c.kind === 'lexeme' ? c.lexeme : '')), node.distances]);
    const walk = this.walkOf(this.phraseWalks, key, () => startPhraseWalk(lists.length, this.words()));
    return walkPhrase(lists, node.distances, walk, this.words(), candidates);
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
}
