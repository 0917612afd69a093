import { andInto, andNotInto, type Bits, orInto } from './bits.js';
import type { RankGroups } from './ranking.js';
import type { QueryNode } from './text-search.js';

/**
 * Where a match is certain and where PostgreSQL must tell (phrases the index cannot check): no
 * `maybe` when there is no such slot, as for nearly every query. Each set is the caller's own.
 */
export interface Tri {
  sure: Bits;
  maybe?: Bits;
}

/** The sets of a query's leaves, as the index reads them from its lists. */
export interface LeafSets {
  /** A new empty set as wide as the index. */
  empty(): Bits;
  /** The slots holding a lexeme (or, with `prefix`, any lexeme it starts) in one of `weights` (0: any). */
  lexeme(lexeme: string, prefix: boolean, weights: number): Bits;
  /**
   * The slots where a phrase matches, or undefined when only PostgreSQL can tell; only
   * `candidates`, the slots holding every word of it, may.
   */
  phrase(node: Extract<QueryNode, { kind: 'phrase' }>, candidates: Bits): Bits | undefined;
  /** How many postings a lexeme's lists hold (with `prefix`, of every lexeme it starts). */
  postings(lexeme: string, prefix: boolean): number;
}

/** The slots that match a query surely, and those that may (a phrase left to PostgreSQL). */
export function evaluateQuery(node: QueryNode, all: Bits, leaves: LeafSets): Tri {
  switch (node.kind) {
    case 'lexeme':
      return { sure: leaves.lexeme(node.lexeme, node.prefix, node.weights) };
    case 'phrase': {
      const candidates = superset(node, all, leaves);
      const exact = leaves.phrase(node, candidates);
      return exact ? { sure: exact } : { sure: leaves.empty(), maybe: candidates };
    }
    case 'not': {
      const inner = evaluateQuery(node.child, all, leaves);
      const sure = all.slice();
      andNotInto(sure, inner.sure);
      if (inner.maybe) andNotInto(sure, inner.maybe);
      return { sure, maybe: inner.maybe };
    }
    case 'or': {
      let sure: Bits | undefined;
      let maybe: Bits | undefined;
      for (const child of node.children) {
        const t = evaluateQuery(child, all, leaves);
        if (sure) orInto(sure, t.sure);
        else sure = t.sure;
        if (t.maybe && maybe) orInto(maybe, t.maybe);
        else maybe ??= t.maybe;
      }
      if (maybe) andNotInto(maybe, sure as Bits);
      return { sure: sure ?? leaves.empty(), maybe };
    }
    case 'and':
      return evaluateAnd(node.children, all, leaves);
  }
}

/**
 * How many slots a node may match at most, from its lists' lengths: an AND takes its children
 * from the smallest, so that a query no fiche matches stops after its rarest words.
 */
function bound(node: QueryNode, leaves: LeafSets): number {
  switch (node.kind) {
    case 'lexeme':
      return leaves.postings(node.lexeme, node.prefix);
    case 'not':
      return Number.POSITIVE_INFINITY;
    case 'or':
      return node.children.reduce((sum, child) => sum + bound(child, leaves), 0);
    default:
      return Math.min(...node.children.map((child) => bound(child, leaves)));
  }
}

function isEmpty(bits: Bits): boolean {
  for (let w = 0; w < bits.length; w++) if (bits[w] !== 0) return false;
  return true;
}

function evaluateAnd(children: QueryNode[], all: Bits, leaves: LeafSets): Tri {
  let sure: Bits | undefined;
  // The slots that may match, when a part left some to PostgreSQL: `sure` and those.
  let possible: Bits | undefined;
  const bounds = new Map(children.map((child) => [child, bound(child, leaves)]));
  const ordered = [...children].sort((a, b) => (bounds.get(a) as number) - (bounds.get(b) as number));
  for (const child of ordered) {
    const t = evaluateQuery(child, all, leaves);
    if (!sure) {
      sure = t.sure;
      if (t.maybe) {
        possible = t.maybe;
        orInto(possible, t.sure);
      }
    } else {
      if (t.maybe || possible) {
        possible ??= sure.slice();
        const either = t.maybe ?? t.sure;
        if (t.maybe) orInto(either, t.sure);
        andInto(possible, either);
      }
      andInto(sure, t.sure);
    }
    // Nothing left that may match: the other children cannot add any.
    if (isEmpty(possible ?? sure)) return { sure };
  }
  const s = sure ?? leaves.empty();
  if (possible) andNotInto(possible, s);
  return { sure: s, maybe: possible };
}

/** Every slot that may match: a phrase's words all present, a negation left open. */
function superset(node: QueryNode, all: Bits, leaves: LeafSets): Bits {
  switch (node.kind) {
    case 'lexeme':
      return leaves.lexeme(node.lexeme, node.prefix, node.weights);
    case 'not':
      return all.slice();
    case 'or': {
      const out = leaves.empty();
      for (const child of node.children) orInto(out, superset(child, all, leaves));
      return out;
    }
    default: {
      const out = superset(node.children[0], all, leaves);
      for (const child of node.children.slice(1)) andInto(out, superset(child, all, leaves));
      return out;
    }
  }
}

/**
 * The lexemes that rank a query's results, by AND group at its top: each wanted lexeme as the
 * index expands it, exact unless it completes the last word (`completions`).
 */
export function rankGroupsOf(
  text: QueryNode,
  expand: (lexeme: string, prefix: boolean) => string[],
  completions: ReadonlySet<string> | undefined,
): RankGroups {
  const groups: RankGroups = [];
  for (const group of andGroups(text)) {
    // A lexeme met twice (typed, and as its own completion) counts once, exact if either is.
    const lexemes = new Map<string, boolean>();
    for (const leaf of positiveLeaves(group)) {
      for (const each of expand(leaf.lexeme, leaf.prefix)) {
        const exact = each === leaf.lexeme && !completions?.has(each);
        lexemes.set(each, exact || (lexemes.get(each) ?? false));
      }
    }
    if (lexemes.size > 0) groups.push([...lexemes].map(([lexeme, exact]) => ({ lexeme, exact })));
  }
  return groups;
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
