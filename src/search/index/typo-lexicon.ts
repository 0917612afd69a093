// The lexicon of typo suggestions held in the process, so that correcting a word is no trigram
// look-up in PostgreSQL (ADR 0030). Its answers are `pg_trgm`'s: the same trigrams, the same
// similarity and threshold, the same order among the candidates.

/** A word of the lexicon as the database holds it. */
export interface LexiconWord {
  word: string;
  /** The word without accents, lower-cased: what trigrams are taken from. */
  plain: string;
  /** How many fiches hold the word. */
  documents: number;
}

// pg_trgm's default `similarity_threshold`, which the `%` operator compares with.
const THRESHOLD = 0.3;

const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * The distinct trigrams of a text as pg_trgm takes them: each run of letters and digits,
 * lower-cased, with two spaces before and one after, cut into every three characters in a row.
 */
export function trigramsOf(text: string): Set<string> {
  const trigrams = new Set<string>();
  let word: string[] = [];
  const flush = () => {
    if (word.length === 0) return;
    const padded = [' ', ' ', ...word, ' '];
    for (let i = 0; i + 3 <= padded.length; i++) trigrams.add(padded[i] + padded[i + 1] + padded[i + 2]);
    word = [];
  };
  for (const character of text.toLowerCase()) {
    if (WORD_CHARACTER.test(character)) word.push(character);
    else flush();
  }
  flush();
  return trigrams;
}

/**
 * The lexicon's words with their trigrams, kept up to date by the changes read since the
 * generation it holds; `correction` gives the word PostgreSQL's look-up would suggest.
 */
export class TypoLexicon {
  /** The search generation the words are up to date with; -1 before the first read. */
  generation = -1n;
  private readonly words: LexiconWord[] = [];
  private readonly ids = new Map<string, number>();
  private readonly trigramCounts: number[] = [];
  private readonly postings = new Map<string, number[]>();
  private shared = new Uint16Array(0);

  /** Takes in words new or changed as of `generation`. */
  apply(changes: LexiconWord[], generation: bigint): void {
    if (generation <= this.generation) return;
    for (const change of changes) {
      const id = this.ids.get(change.word);
      if (id !== undefined) {
        this.words[id] = change;
        continue;
      }
      const added = this.words.length;
      this.ids.set(change.word, added);
      this.words.push(change);
      const trigrams = trigramsOf(change.plain);
      this.trigramCounts.push(trigrams.size);
      for (const trigram of trigrams) {
        const list = this.postings.get(trigram);
        if (list) list.push(added);
        else this.postings.set(trigram, [added]);
      }
    }
    this.generation = generation;
  }

  /** How many words the lexicon holds. */
  get size(): number {
    return this.words.length;
  }

  /**
   * The word nearest to `plain` (a word as typed, lower-cased and without accents) by
   * trigram similarity, at least pg_trgm's threshold; ties go to the word more fiches hold,
   * then to the first in the C collation's order. Null when none is near enough.
   */
  correction(plain: string): string | null {
    const wanted = trigramsOf(plain);
    if (wanted.size === 0) return null;
    if (this.shared.length < this.words.length) this.shared = new Uint16Array(this.words.length * 2);
    const touched: number[] = [];
    for (const trigram of wanted) {
      for (const id of this.postings.get(trigram) ?? []) {
        if (this.shared[id]++ === 0) touched.push(id);
      }
    }
    let best = -1;
    let bestSimilarity = 0;
    for (const id of touched) {
      const count = this.shared[id];
      this.shared[id] = 0;
      // pg_trgm divides in single precision, and so decides the threshold and the ties.
      const similarity = Math.fround(count / (wanted.size + this.trigramCounts[id] - count));
      if (similarity < THRESHOLD) continue;
      if (best < 0 || similarity > bestSimilarity || (similarity === bestSimilarity && this.before(id, best))) {
        best = id;
        bestSimilarity = similarity;
      }
    }
    return best < 0 ? null : this.words[best].word;
  }

  private before(a: number, b: number): boolean {
    const x = this.words[a];
    const y = this.words[b];
    if (x.documents !== y.documents) return x.documents > y.documents;
    // Code units, the order of the databases' C and C.UTF-8 collations below U+E000.
    return x.word < y.word;
  }
}
