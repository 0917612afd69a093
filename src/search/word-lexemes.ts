import type { Db } from '../db/database.js';
import { lexemesOfWords, readWordStems } from './index/index.repository.js';
import type { QueryNode } from './index/text-search.js';
import { leavesOf, type SnippetText, snippetOf, wordsOf } from './snippet.js';

// The lexemes of the words met in snippets, from PostgreSQL, kept for the life of the process:
// the French analysis of a word never changes. A few megabytes at most. The lexicon's most
// frequent words are read at start, so that a first search seldom waits for a look-up.
const MAX_KEPT = 50_000;
const PRELOADED = 40_000;
const kept = new WeakMap<Db, Map<string, readonly string[]>>();
const preloads = new WeakMap<Db, Promise<ReadonlyMap<string, readonly string[]>>>();

/**
 * Reads the lexemes of the lexicon's most frequent words, once per database handle (none inside
 * a transaction): the server calls it at start, beside the index's build.
 */
export function warmLexemes(db: Db): Promise<ReadonlyMap<string, readonly string[]>> {
  if (db.isTransaction) return Promise.resolve(new Map());
  let preload = preloads.get(db);
  if (!preload) {
    preload = readWordStems(db, PRELOADED).then((rows) => new Map(rows.map(({ word, stem }) => [word, [stem]])));
    // A failed read is tried again at the next search rather than kept.
    preload.catch(() => preloads.delete(db));
    preloads.set(db, preload);
  }
  return preload;
}

// French stemming only ever rewrites a word's ending: a lexeme is the word folded as the
// unaccent rules fold it, cut short, with at most its last two letters rewritten (« chevaux »
// gives « cheval », « prudence » « prudent »). A word that does not start with its lexeme but
// those two letters cannot have it.
const folds = new Map<string, string>();
const MAX_FOLDS = 10_000;
const ASCII = /^[a-z0-9]*$/;

function folded(word: string): string {
  // Most words are ASCII letters and digits, which fold to themselves and need no room kept.
  if (ASCII.test(word)) return word;
  let done = folds.get(word);
  if (done === undefined) {
    done = word.normalize('NFD').replace(/\p{M}/gu, '').replaceAll('œ', 'oe').replaceAll('æ', 'ae');
    if (folds.size < MAX_FOLDS) folds.set(word, done);
  }
  return done;
}

/** What a word must start with to have a lexeme: the lexeme folded, but its last two letters. */
function lexemeStart(lexeme: string): string {
  // A lexeme keeps its accents where the parser reads a number and letters (« 1ère »).
  const stem = folded(lexeme);
  return stem.slice(0, Math.max(2, stem.length - 2));
}

/** Whether a word (its lower-cased key) may have this lexeme in the French analysis. */
export function mayHaveLexeme(key: string, lexeme: string): boolean {
  return folded(key).startsWith(lexemeStart(lexeme));
}

/** A word whose first letter is the word's first letter folded, the one its lexemes start with, folded. */
function firstFolded(key: string): string {
  return key.charCodeAt(0) < 0x80 ? key : folded(key[0]);
}

/**
 * What tells the words that may have one of the lexemes of these leaves: first the folded first
 * letter, which turns most words away at the cost of a character's look-up, then the starts
 * that begin with that letter alone (a query of 32 words and their completions has some 60:
 * trying all of them on every word of the snippets took 3 ms).
 */
function candidateTest(leaves: QueryNode[]): (key: string) => boolean {
  const byFirst: string[][] = [];
  // The bucket of each first letter, plus one; 0 for a letter no start has.
  const firsts = new Uint16Array(0x10000);
  for (const leaf of leaves) {
    if (leaf.kind !== 'lexeme') continue;
    const start = lexemeStart(leaf.lexeme);
    const first = start.charCodeAt(0);
    if (firsts[first] === 0) firsts[first] = byFirst.push([]);
    byFirst[firsts[first] - 1].push(start);
  }
  return (key) => {
    const bucket = key === '' ? 0 : firsts[firstFolded(key).charCodeAt(0)];
    if (bucket === 0) return false;
    const word = folded(key);
    return byFirst[bucket - 1].some((start) => word.startsWith(start));
  };
}

/** The words of these texts that may have one of the lexemes, as keys, but those `known`. */
function candidates(texts: SnippetText[], may: (key: string) => boolean, known: (key: string) => boolean): Set<string> {
  const found = new Set<string>();
  for (const { words } of texts) {
    for (const { key } of words) if (may(key) && !found.has(key) && !known(key)) found.add(key);
  }
  return found;
}

/** What a snippet highlights: the whole query, and any one of its wanted parts (null: the same). */
export interface Highlight {
  whole: QueryNode;
  any: QueryNode | null;
}

/**
 * The lexemes of the words of these texts that may match the query, as a look-up: those not met
 * before are asked of PostgreSQL in one query.
 */
export async function lexemeLookup(
  db: Db,
  texts: SnippetText[],
  query: QueryNode,
): Promise<(key: string) => readonly string[]> {
  const preloaded = await warmLexemes(db).catch(() => new Map<string, readonly string[]>());
  let known = kept.get(db) ?? new Map<string, readonly string[]>();
  const may = candidateTest(leavesOf(query));
  const missing = [...candidates(texts, may, (key) => preloaded.has(key) || known.has(key))];
  if (missing.length > 0) {
    const rows = await lexemesOfWords(db, missing);
    // Full: a new map, so that a search still reading the old one keeps what it asked for.
    if (known.size + rows.length > MAX_KEPT - PRELOADED) known = new Map();
    for (const { word, lexemes } of rows) known.set(word, lexemes);
  }
  kept.set(db, known);
  const lexemes = known;
  // Only a word that may match is looked up: most are turned away by their first letter.
  return (key) => (may(key) ? (preloaded.get(key) ?? lexemes.get(key) ?? []) : []);
}

/** The snippets of results from their texts, in the order preferred (null for a result without any). */
export async function makeSnippets(
  db: Db,
  texts: Array<Array<string | null> | null>,
  highlight: Highlight,
): Promise<Array<string | null>> {
  const split = texts.map((list) => list?.map((text) => (text ? { text, words: wordsOf(text) } : null)) ?? null);
  const all = split.flatMap((list) => list?.filter((t): t is SnippetText => t !== null) ?? []);
  const lexemesOf = await lexemeLookup(db, all, highlight.whole);
  return split.map((list) => (list ? snippetOf(list, { ...highlight, lexemesOf }) : null));
}
