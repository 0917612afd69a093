import type { Db } from '../db/database.js';
import { lexemesOfWords } from './index/index.repository.js';
import type { QueryNode } from './index/text-search.js';
import { leavesOf, type SnippetText, snippetOf, wordsOf } from './snippet.js';

// The lexemes of the words met in snippets, from PostgreSQL, kept for the life of the process:
// the French analysis of a word never changes. A few megabytes at most.
const MAX_KEPT = 50_000;
const kept = new WeakMap<Db, Map<string, readonly string[]>>();

// A word whose first two letters, folded as the unaccent rules fold them, are not a lexeme's
// first two cannot have it: French stemming only ever changes a word's ending.
const heads = new Map<string, string>();

function foldedHead(key: string): string {
  const head = key.slice(0, 2);
  let folded = heads.get(head);
  if (folded === undefined) {
    folded = head.normalize('NFD').replace(/\p{M}/gu, '').replaceAll('œ', 'oe').replaceAll('æ', 'ae').slice(0, 2);
    if (heads.size < 10_000) heads.set(head, folded);
  }
  return folded;
}

/** The words of these texts that may have one of the lexemes of these leaves, as keys. */
function candidates(texts: SnippetText[], leaves: QueryNode[]): Set<string> {
  const starts = new Set(leaves.flatMap((leaf) => (leaf.kind === 'lexeme' ? [leaf.lexeme.slice(0, 2)] : [])));
  const short = [...starts].filter((start) => start.length < 2);
  const found = new Set<string>();
  for (const { words } of texts) {
    for (const { key } of words) {
      if (found.has(key) || key === '') continue;
      const head = foldedHead(key);
      if (starts.has(head) || short.some((start) => head.startsWith(start))) found.add(key);
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
