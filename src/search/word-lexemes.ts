import type { Db } from '../db/database.js';
import { lexemesOfWords } from './index/index.repository.js';
import type { QueryNode } from './index/text-search.js';
import { leavesOf, type SnippetText, snippetOf, wordsOf } from './snippet.js';

// The lexemes of the words met in snippets, from PostgreSQL, kept for the life of the process:
// the French analysis of a word never changes. A few megabytes at most.
const MAX_KEPT = 50_000;
const kept = new WeakMap<Db, Map<string, readonly string[]>>();

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

/** The words of these texts that may have one of the lexemes of these leaves, as keys. */
function candidates(texts: SnippetText[], leaves: QueryNode[]): Set<string> {
  const starts = leaves.flatMap((leaf) => (leaf.kind === 'lexeme' ? [lexemeStart(leaf.lexeme)] : []));
  const found = new Set<string>();
  const passed = new Set<string>();
  for (const { words } of texts) {
    for (const { key } of words) {
      if (key === '' || passed.has(key)) continue;
      passed.add(key);
      const word = folded(key);
      if (starts.some((start) => word.startsWith(start))) found.add(key);
    }
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
  let known = kept.get(db) ?? new Map<string, readonly string[]>();
  const missing = [...candidates(texts, leavesOf(query))].filter((key) => !known.has(key));
  if (missing.length > 0) {
    const rows = await lexemesOfWords(db, missing);
    // Full: a new map, so that a search still reading the old one keeps what it asked for.
    if (known.size + rows.length > MAX_KEPT) known = new Map();
    for (const { word, lexemes } of rows) known.set(word, lexemes);
  }
  kept.set(db, known);
  const lexemes = known;
  return (key) => lexemes.get(key) ?? [];
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
