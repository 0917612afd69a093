import { matchKey } from '../vocabularies/normalize.js';

// The query language is PostgreSQL's websearch syntax ("phrase exacte", -exclusion, OR), parsed
// here rather than by websearch_to_tsquery so that each term can be widened to its synonyms.

/** One thing to look for: a word, or several words that must follow one another. */
export interface Term {
  words: string[];
  /** Typed between quotes: searched exactly as typed, without synonyms. */
  quoted: boolean;
  negated: boolean;
  /** The other ways to say it, from the synonym groups (each may have several words). */
  synonyms: string[];
  /**
   * The last word of the query, typed plainly: it also matches as the start of a word, so that
   * « rando » finds « randonnée » while it is being typed.
   */
  prefix: boolean;
  /** Where the term sits in the query string, to rewrite it in a suggestion. */
  start: number;
  end: number;
}

/** A parsed query: every group must match; within a group (terms joined by OR), any term. */
export type ParsedQuery = Term[][];

interface Token {
  text: string;
  quoted: boolean;
  negated: boolean;
  start: number;
  end: number;
}

// Letters, digits and the apostrophes and hyphens inside words; everything else separates words.
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const TOKEN = /(-?)"([^"]*)"?|(-?)([^\s"]+)/gu;
const LONGEST_SYNONYM = 4;

function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  for (const m of q.matchAll(TOKEN)) {
    const quoted = m[2] !== undefined;
    const text = quoted ? m[2] : m[4];
    if (words(text).length === 0) continue;
    tokens.push({
      text,
      quoted,
      negated: (quoted ? m[1] : m[3]) === '-',
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  return tokens;
}

/** A key under which a synonym matches whatever its accents, case and plural: "Aînés" → "aine". */
export function synonymKey(text: string): string {
  return words(matchKey(text))
    .map((w) => (w.length > 3 ? w.replace(/[sx]$/, '') : w))
    .join(' ');
}

/** The synonym groups, indexed for parsing. */
export class SynonymIndex {
  private readonly groups = new Map<string, string[]>();

  constructor(groups: string[][]) {
    for (const group of groups) {
      for (const term of group) {
        const key = synonymKey(term);
        const others = group.filter((t) => synonymKey(t) !== key);
        this.groups.set(key, [...new Set([...(this.groups.get(key) ?? []), ...others])]);
      }
    }
  }

  /** The other terms of the groups this text belongs to, or undefined when it belongs to none. */
  lookup(text: string): string[] | undefined {
    return this.groups.get(synonymKey(text));
  }
}

/**
 * Parses a query typed by a user. Consecutive plain words that together form a synonym
 * ("personnes âgées") become one term, so that they are widened together.
 */
export function parseQuery(q: string, synonyms: SynonymIndex): ParsedQuery {
  const tokens = tokenize(q);
  const groups: ParsedQuery = [];
  let joinWithPrevious = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token.quoted && !token.negated && token.text.toLowerCase() === 'or') {
      joinWithPrevious = groups.length > 0;
      continue;
    }
    let term: Term;
    const span = token.quoted || token.negated ? 1 : plainRun(tokens, i);
    const match = longestSynonym(tokens, i, span, synonyms);
    if (match) {
      term = {
        words: match.tokens.flatMap((t) => words(t.text)),
        quoted: false,
        negated: false,
        synonyms: match.synonyms,
        prefix: false,
        start: token.start,
        end: match.tokens[match.tokens.length - 1].end,
      };
      i += match.tokens.length - 1;
    } else {
      term = {
        words: words(token.text),
        quoted: token.quoted,
        negated: token.negated,
        synonyms: token.quoted ? [] : (synonyms.lookup(token.text) ?? []),
        prefix: false,
        start: token.start,
        end: token.end,
      };
    }
    if (joinWithPrevious) groups[groups.length - 1].push(term);
    else groups.push([term]);
    joinWithPrevious = false;
  }
  const last = groups.at(-1)?.at(-1);
  if (
    last &&
    last.end === tokens.at(-1)?.end &&
    !last.quoted &&
    !last.negated &&
    PREFIXABLE.test(last.words.join(' '))
  ) {
    last.prefix = true;
  }
  return groups;
}

// A last word completed as a prefix: letters and digits only, at least 3 of them.
const PREFIXABLE = /^[\p{L}\p{N}]{3,}$/u;

/** The number of terms joined by OR, which a query may hold up to `MAX_OR_TERMS` of. */
export function countOrTerms(query: ParsedQuery): number {
  return query.reduce((n, group) => n + (group.length > 1 ? group.length : 0), 0);
}

/** The most terms a query may join by OR. */
export const MAX_OR_TERMS = 32;

function plainRun(tokens: Token[], from: number): number {
  let n = 0;
  while (
    from + n < tokens.length &&
    n < LONGEST_SYNONYM &&
    !tokens[from + n].quoted &&
    !tokens[from + n].negated &&
    tokens[from + n].text.toLowerCase() !== 'or'
  ) {
    n++;
  }
  return n;
}

function longestSynonym(tokens: Token[], from: number, span: number, synonyms: SynonymIndex) {
  for (let n = span; n >= 2; n--) {
    const run = tokens.slice(from, from + n);
    const found = synonyms.lookup(run.map((t) => t.text).join(' '));
    if (found) return { tokens: run, synonyms: found };
  }
  return undefined;
}

/** The words that can be checked against the lexicon: plain, wanted words not covered by a synonym. */
export function checkableTerms(query: ParsedQuery): Term[] {
  return query.flat().filter((t) => !t.quoted && !t.negated && t.synonyms.length === 0 && t.words.length === 1);
}

/** The query with some terms replaced, for "Vouliez-vous dire …". */
export function rewriteQuery(q: string, replacements: Array<{ term: Term; by: string }>): string {
  let result = q;
  for (const { term, by } of [...replacements].sort((a, b) => b.term.start - a.term.start)) {
    result = result.slice(0, term.start) + by + result.slice(term.end);
  }
  return result;
}
