import type { QueryNode } from './index/text-search.js';
import { KIND_OF, kindAt, NUMBER, OTHER } from './lexicon.js';

// A result's snippet, made here rather than by ts_headline: PostgreSQL parsed and stemmed every
// word of the texts again for each search, 6 to 8 ms of the 20 results' read (ADR 0025). The
// words' lexemes still come from PostgreSQL's French analysis (src/search/word-lexemes.ts); the
// fragments are chosen the way ts_headline chooses them (MaxWords, MinWords, MaxFragments).

/** Markers put around matched words; control characters never met in a fiche, so that the presenter can escape the text and then turn them into <mark>. */
export const MARK_START = '\u0002';
export const MARK_END = '\u0003';

const MAX_WORDS = 28;
const MIN_WORDS = 12;
const MAX_FRAGMENTS = 2;
// Words this short make a poor first or last word of a fragment, unless they matched.
const SHORT_WORD = 3;
const FRAGMENT_DELIMITER = ' … ';
// Covers longer than this are not looked for: a long text with scattered words stays linear.
const MAX_COVER = Math.max(MAX_WORDS * 10, 100) * MAX_FRAGMENTS;

/** A word of a text: where it is, and its lower-cased form, the key of its lexemes. */
export interface Word {
  start: number;
  end: number;
  key: string;
}

// Letters and digits make a word, as for PostgreSQL's parser; apostrophes, hyphens, the
// underscore and the rest split. A hyphenated word is its parts, which is also how ts_headline
// marks it. A decimal number (3.5) is one word. An address (web, e-mail, or a path such as
// « parents/enfants », which PostgreSQL's parser reads as a file name and leaves out of the
// analysis) is one word that never matches. No word or address spans a space, so only the runs
// of non-space characters around a « / », an « @ » or a « www. » are read by the expression;
// the rest is read a character at a time, several times faster.
const WORD_OR_ADDRESS =
  /(?<address>(?:https?:\/\/|www\.)\S+|[A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_.-]+)+|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}+)|\p{N}+(?:\.\p{N}+)+|[\p{L}\p{N}]+/gu;
const MAY_HOLD_ADDRESS = /[/@]|www\./g;
const SPACE = /\s/;
// Numbers, which ts_headline never starts or ends a fragment on.
const NUMBER_WORD = /^\p{N}+(?:\.\p{N}+)*$/u;
const UNDERSCORE = 95;
const POINT = 46;
// Lower-casing depends on the neighbours only for the capital sigma (final « ς »).
const CAPITAL_SIGMA = 'Σ';

/** The words of a text, in order. */
export function wordsOf(text: string): Word[] {
  // The words' keys are cut from the text lower-cased once, when that keeps every position.
  const lower = text.toLowerCase();
  const keyOf =
    lower.length === text.length && !text.includes(CAPITAL_SIGMA)
      ? (start: number, end: number) => lower.slice(start, end)
      : (start: number, end: number) => text.slice(start, end).toLowerCase();
  const words: Word[] = [];
  let from = 0;
  for (const marker of text.matchAll(MAY_HOLD_ADDRESS)) {
    if (marker.index < from) continue;
    let start = marker.index;
    while (start > from && !SPACE.test(text[start - 1])) start--;
    let end = marker.index + 1;
    while (end < text.length && !SPACE.test(text[end])) end++;
    plainWords(text, from, start, keyOf, words);
    for (const m of text.slice(start, end).matchAll(WORD_OR_ADDRESS)) {
      const at = start + m.index;
      words.push({ start: at, end: at + m[0].length, key: m.groups?.address ? '' : keyOf(at, at + m[0].length) });
    }
    from = end;
  }
  plainWords(text, from, text.length, keyOf, words);
  return words;
}

/** The words of a text from `from` to `to`, which hold no address, added to `words`. */
function plainWords(
  text: string,
  from: number,
  to: number,
  keyOf: (start: number, end: number) => string,
  words: Word[],
) {
  let start = -1;
  let digits = false;
  for (let i = from; i < to; i++) {
    const unit = text.charCodeAt(i);
    // The table of kinds read here for the common characters: a call per character costs more.
    const kind = unit === UNDERSCORE ? OTHER : unit < 0xd800 ? KIND_OF[unit] || kindAt(text, i) : kindAt(text, i);
    if (kind === OTHER) {
      if (unit === POINT && digits && kindAt(text, i + 1) === NUMBER) continue;
      if (start >= 0) words.push({ start, end: i, key: keyOf(start, i) });
      start = -1;
    } else if (start < 0) {
      start = i;
      digits = kind === NUMBER;
    } else {
      digits &&= kind === NUMBER;
    }
    if (unit >= 0xd800 && unit <= 0xdbff) i++;
  }
  if (start >= 0) words.push({ start, end: to, key: keyOf(start, to) });
}

/** What a snippet highlights: the whole query, any one of its wanted parts, and the lexemes of a word. */
export interface SnippetQuery {
  whole: QueryNode;
  /** Any one of the wanted parts, or null when that is the whole query. */
  any: QueryNode | null;
  lexemesOf(key: string): readonly string[];
}

type Leaves = Map<QueryNode, number[]>;

/** The lexeme leaves of a query. */
export function leavesOf(node: QueryNode, into: QueryNode[] = []): QueryNode[] {
  if (node.kind === 'lexeme') into.push(node);
  else if (node.kind === 'not') leavesOf(node.child, into);
  else for (const child of node.children) leavesOf(child, into);
  return into;
}

function matches(leaf: QueryNode & { kind: 'lexeme' }, lexemes: readonly string[]): boolean {
  return lexemes.some((l) => (leaf.prefix ? l.startsWith(leaf.lexeme) : l === leaf.lexeme));
}

/** For each leaf of the query, the indexes of the words that match it. */
function leafPositions(words: Word[], leaves: QueryNode[], lexemesOf: SnippetQuery['lexemesOf']): Leaves {
  const positions: Leaves = new Map(leaves.map((leaf) => [leaf, []]));
  words.forEach((word, i) => {
    const lexemes = lexemesOf(word.key);
    if (lexemes.length === 0) return;
    for (const leaf of leaves) if (leaf.kind === 'lexeme' && matches(leaf, lexemes)) positions.get(leaf)?.push(i);
  });
  return positions;
}

/** The index of the first of these sorted positions at or after `from` (their length if none). */
function firstIndexFrom(sorted: number[], from: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] < from) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The first of these sorted positions at or after `from`, or -1. */
function firstFrom(sorted: number[], from: number): number {
  const at = firstIndexFrom(sorted, from);
  return at < sorted.length ? sorted[at] : -1;
}

/** Whether the words from `a` to `b` satisfy the query; a phrase of single words keeps its distances. */
function satisfies(node: QueryNode, leaves: Leaves, a: number, b: number): boolean {
  switch (node.kind) {
    case 'lexeme': {
      const at = firstFrom(leaves.get(node) ?? [], a);
      return at >= 0 && at <= b;
    }
    case 'not':
      return !satisfies(node.child, leaves, a, b);
    case 'or':
      return node.children.some((child) => satisfies(child, leaves, a, b));
    case 'and':
      return node.children.every((child) => satisfies(child, leaves, a, b));
    default: {
      if (!node.children.every((child) => child.kind === 'lexeme')) {
        return node.children.every((child) => satisfies(child, leaves, a, b));
      }
      const [first, ...rest] = node.children.map((child) => leaves.get(child) ?? []);
      for (let k = firstIndexFrom(first, a); k < first.length && first[k] <= b; k++) {
        let at = first[k];
        const follows = rest.every((positions, i) => {
          at += node.distances[i];
          return at <= b && firstFrom(positions, at) === at;
        });
        if (follows) return true;
      }
      return false;
    }
  }
}

/** For each word, how many words of the query it matches. */
function matchCounts(count: number, leaves: Leaves): Uint8Array {
  const matched = new Uint8Array(count);
  for (const positions of leaves.values()) for (const p of positions) matched[p]++;
  return matched;
}

/** Which words of a text match a word of the query (1) or not (0), in order. */
export function matchedWords(words: Word[], node: QueryNode, lexemesOf: SnippetQuery['lexemesOf']): Uint8Array {
  return matchCounts(words.length, leafPositions(words, leavesOf(node), lexemesOf)).map((n) => (n > 0 ? 1 : 0));
}

interface Piece {
  start: number;
  end: number;
  words: number;
  items: number;
  excluded: boolean;
}

/**
 * A text's snippet for a query: up to two fragments of at most 28 words around the shortest
 * spans satisfying the query, its words marked; the first 12 words when no span does.
 */
export function headline(text: string, words: Word[], node: QueryNode, lexemesOf: SnippetQuery['lexemesOf']): string {
  const leaves = leafPositions(words, leavesOf(node), lexemesOf);
  const matched = matchCounts(words.length, leaves);
  const item = matched.map((n) => (n > 0 ? 1 : 0));
  // ts_headline counts a word once per query word it matches: lengths are counted the same way.
  const weight = matched.map((n) => Math.max(1, n));
  const bad = (i: number) => !item[i] && (words[i].key.length <= SHORT_WORD || NUMBER_WORD.test(words[i].key));
  const pieces = coverPieces(item, weight, (a, b) => satisfies(node, leaves, a, b));
  const shown = new Uint8Array(words.length);
  for (let f = 0; f < MAX_FRAGMENTS; f++) {
    let best: Piece | undefined;
    for (const piece of pieces) {
      if (piece.excluded) continue;
      if (!best || piece.items > best.items || (piece.items === best.items && piece.words < best.words)) best = piece;
    }
    if (!best) break;
    let { start, end, words: length } = best;
    // Stretched by up to half the room on the left, then to the full length on the right.
    for (let room = (MAX_WORDS - length) >> 1; room > 0 && start > 0 && !shown[start - 1]; ) {
      start--;
      room -= weight[start];
      length += weight[start];
    }
    for (; start < best.start && bad(start); start++) length -= weight[start];
    for (; length < MAX_WORDS && end + 1 < words.length && !shown[end + 1]; end++) length += weight[end + 1];
    while (end > best.end && bad(end)) end--;
    shown.fill(1, start, end + 1);
    for (const piece of pieces) {
      const overlaps = piece.start <= end && piece.end >= start;
      if (piece === best || overlaps) piece.excluded = true;
    }
  }
  if (!shown.includes(1)) {
    for (let i = 0, length = 0; i < words.length && length < MIN_WORDS; i++) {
      shown[i] = 1;
      length += weight[i];
    }
  }
  return render(text, words, shown, item);
}

/**
 * The minimal spans, from each matched word on, that satisfy the query, cut in pieces of at
 * most MAX_WORDS words that start and end on a matched word.
 */
function coverPieces(item: Uint8Array, weight: Uint8Array, covers: (a: number, b: number) => boolean): Piece[] {
  const items: number[] = [];
  item.forEach((matched, i) => {
    if (matched) items.push(i);
  });
  const pieces: Piece[] = [];
  for (let k = 0; k < items.length; k++) {
    const p = items[k];
    let q = -1;
    for (let j = k; j < items.length && items[j] - p < MAX_COVER; j++) {
      if (covers(p, items[j])) {
        q = items[j];
        break;
      }
    }
    if (q < 0) continue;
    for (let start = p; start <= q; ) {
      while (!item[start]) start++;
      let end = start;
      let length = weight[start];
      while (end < q && length + weight[end + 1] <= MAX_WORDS) length += weight[++end];
      while (!item[end]) length -= weight[end--];
      let matched = 0;
      for (let i = start; i <= end; i++) matched += item[i];
      pieces.push({ start, end, words: length, items: matched, excluded: false });
      start = end + 1;
    }
  }
  return pieces;
}

/** The shown words' runs, their matched words marked, joined by the fragment delimiter. */
function render(text: string, words: Word[], shown: Uint8Array, item: Uint8Array): string {
  const fragments: string[] = [];
  for (let i = 0; i < words.length; ) {
    if (!shown[i]) {
      i++;
      continue;
    }
    let out = '';
    let at = words[i].start;
    for (; i < words.length && shown[i]; i++) {
      const { start, end } = words[i];
      out +=
        text.slice(at, start) + (item[i] ? MARK_START + text.slice(start, end) + MARK_END : text.slice(start, end));
      at = end;
    }
    fragments.push(out);
  }
  return fragments.join(FRAGMENT_DELIMITER);
}

/** A text and its words. */
export interface SnippetText {
  text: string;
  words: Word[];
}

/**
 * The snippet of a result from its texts, in the order they are preferred: from the first one
 * holding the whole query, or else the first holding any wanted part (with that part's words
 * marked); null when none holds a word of the query.
 */
export function snippetOf(texts: Array<SnippetText | null>, query: SnippetQuery): string | null {
  for (const node of query.any ? [query.whole, query.any] : [query.whole]) {
    const leaves = leavesOf(node);
    for (const field of texts) {
      if (!field) continue;
      const positions = leafPositions(field.words, leaves, query.lexemesOf);
      if (satisfies(node, positions, 0, field.words.length - 1)) {
        return headline(field.text, field.words, node, query.lexemesOf);
      }
    }
  }
  return null;
}
