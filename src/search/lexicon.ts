import { grown, hashStep, StringTable } from './string-table.js';

// Letters and digits make a word, as for PostgreSQL's parser; apostrophes and hyphens split.
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const DIGIT = /\p{N}/u;

// What each UTF-16 code unit is, filled as met: a lookup per character is many times faster
// than a Unicode regular expression over the text, and an import reads hundreds of megabytes.
const UNKNOWN = 0;
/** Kinds of characters, as `kindAt` tells them. */
export const OTHER = 1;
export const LETTER = 2;
export const NUMBER = 3;
const kinds = new Uint8Array(0x10000);
/**
 * The kinds of the UTF-16 code units met so far (0 for one not met yet): a fast path for hot
 * loops, which call `kindAt` on a 0. Only read it below 0xD800, where a code unit is a character.
 */
export const KIND_OF: Readonly<Uint8Array> = kinds;

function classify(char: string): number {
  return DIGIT.test(char) ? NUMBER : WORD_CHAR.test(char) ? LETTER : OTHER;
}

/**
 * What the character at `i` is: OTHER, LETTER or NUMBER (the underscore counts as a letter).
 * A character outside the Basic Multilingual Plane takes two code units, `i` and `i + 1`.
 */
export function kindAt(text: string, i: number): number {
  const unit = text.charCodeAt(i);
  if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
    return classify(String.fromCodePoint(text.codePointAt(i) as number));
  }
  let kind = kinds[unit];
  if (kind === UNKNOWN) {
    kind = classify(String.fromCharCode(unit));
    kinds[unit] = kind;
  }
  return kind;
}

/**
 * The distinct words of texts worth suggesting (3 letters or more, no digit), lower-cased, each
 * with the number of texts holding it. Read in JavaScript rather than by a second parse in the
 * database, which would cost as much as building the search document itself.
 */
export class WordCounts {
  // An import reads hundreds of megabytes here, some fifty million words. So each text is
  // lower-cased once, in one native call, and each word is hashed as it is scanned and looked
  // up by that hash and its characters in place: a string is made only for a word met for the
  // first time.
  private readonly words = new StringTable();
  private lastText = new Int32Array(1 << 15);
  private counts = new Int32Array(1 << 15);
  private texts = 0;

  /** Counts the words of these texts, each text once for each word it holds. */
  add(texts: Iterable<string>): this {
    for (const original of texts) {
      const text = original.toLowerCase();
      const id = ++this.texts;
      let start = -1;
      let digit = false;
      let hash = 0;
      for (let i = 0; i <= text.length; i++) {
        let kind = OTHER;
        let unit = 0;
        if (i < text.length) {
          unit = text.charCodeAt(i);
          kind = unit < 0xd800 ? kinds[unit] || kindAt(text, i) : kindAt(text, i);
        }
        if (kind === OTHER) {
          if (start >= 0 && !digit && i - start >= 3) this.count(text, start, i, hash, id);
          start = -1;
          continue;
        }
        if (start < 0) {
          start = i;
          digit = false;
          hash = 0;
        }
        if (kind === NUMBER) digit = true;
        hash = hashStep(hash, unit);
        // A character outside the Basic Multilingual Plane: its second code unit is part of it.
        if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
          i++;
          hash = hashStep(hash, text.charCodeAt(i));
        }
      }
    }
    return this;
  }

  /** The words met, in the order first met. */
  wordList(): string[] {
    return this.words.strings.slice();
  }

  /** How many texts hold each word of `wordList()`, in its order. */
  documentCounts(): number[] {
    return Array.from(this.counts.subarray(0, this.words.size));
  }

  /** The counts as a map, word to number of texts. */
  toMap(): Map<string, number> {
    return new Map(this.words.strings.map((word, i) => [word, this.counts[i]]));
  }

  private count(text: string, start: number, end: number, hash: number, textId: number): void {
    const known = this.words.size;
    const word = this.words.intern(text, start, end, hash);
    if (word === known) {
      if (word === this.counts.length) {
        this.lastText = grown(this.lastText);
        this.counts = grown(this.counts);
      }
      this.counts[word] = 0;
    }
    if (this.lastText[word] !== textId) {
      this.lastText[word] = textId;
      this.counts[word]++;
    }
  }
}
