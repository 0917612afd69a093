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
 * The distinct words of these texts worth suggesting (3 letters or more, no digit), lower-cased,
 * each with the number of texts holding it, added to `counts`. Read in JavaScript rather than by
 * a second parse in the database, which would cost as much as building the search document itself.
 */
export function countWords(texts: string[], counts = new Map<string, number>()): Map<string, number> {
  for (const text of texts) {
    const seen = new Set<string>();
    let start = -1;
    let digit = false;
    const end = (at: number) => {
      if (!digit && at - start >= 3) {
        const word = text.slice(start, at).toLowerCase();
        if (!seen.has(word)) {
          seen.add(word);
          counts.set(word, (counts.get(word) ?? 0) + 1);
        }
      }
      start = -1;
    };
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      const kind = kindAt(text, i);
      const width = unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length ? 2 : 1;
      if (kind === OTHER) {
        if (start >= 0) end(i);
      } else {
        if (start < 0) {
          start = i;
          digit = false;
        }
        if (kind === NUMBER) digit = true;
      }
      i += width - 1;
    }
    if (start >= 0) end(text.length);
  }
  return counts;
}
