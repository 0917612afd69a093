// PostgreSQL does the French analysis (french_unaccent: stemming, accents, stop words); the
// search index reads its output as text: the stored tsvectors and the tsquery of each search.

const WEIGHT_BITS: Record<string, number> = { A: 8, B: 4, C: 2, D: 1 };

/**
 * Called for each lexeme of a document: its weights (bit 3 for A, the title; 2 for B, the
 * résumé; 1 for C, the other texts; 0 for D, the context) and its positions, in `positions`
 * from 0 to `count` (a scratch array, overwritten by the next call).
 */
export type LexemeVisitor = (lexeme: string, weights: number, positions: Uint16Array, count: number) => void;

const scratch = new Uint16Array(1024);

/** Reads a tsvector's text form, `'lexeme':1A,4 'autre':2B`, lexeme by lexeme. */
export function readTsvector(text: string, visit: LexemeVisitor): void {
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && text.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const [lexeme, next] = readQuoted(text, i);
    i = next;
    let weights = 0;
    let count = 0;
    if (text.charCodeAt(i) === 58 /* : */) {
      i++;
      while (i < n && text.charCodeAt(i) !== 32) {
        if (text.charCodeAt(i) === 44 /* , */) i++;
        let position = 0;
        for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i))
          position = position * 10 + c - 48;
        const weight = WEIGHT_BITS[text[i]];
        if (weight !== undefined) i++;
        weights |= weight ?? 1;
        if (count < scratch.length) scratch[count++] = position;
      }
    } else {
      weights = 1;
    }
    visit(lexeme, weights, scratch, count);
  }
}

/** Reads a quoted lexeme from position `i` (on its opening quote); returns it and the position after. */
function readQuoted(text: string, i: number): [string, number] {
  if (text.charCodeAt(i) !== 39 /* ' */) throw new Error(`tsvector ou tsquery illisible à la position ${i}`);
  // Runs between escapes are sliced, not built a character at a time: a build reads millions.
  let value = '';
  let start = i + 1;
  for (let j = start; ; ) {
    const c = text.charCodeAt(j);
    if (Number.isNaN(c)) throw new Error('tsvector ou tsquery illisible : guillemet non fermé');
    if (c === 92 /* \ */) {
      value += text.slice(start, j) + text[j + 1];
      j += 2;
      start = j;
    } else if (c === 39) {
      if (text.charCodeAt(j + 1) !== 39) return [value + text.slice(start, j), j + 1];
      value += `${text.slice(start, j)}'`;
      j += 2;
      start = j;
    } else {
      j++;
    }
  }
}

/** A tsquery as a tree. */
export type QueryNode =
  | { kind: 'lexeme'; lexeme: string; prefix: boolean; weights: number }
  | { kind: 'and' | 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode }
  | {
      kind: 'phrase';
      children: QueryNode[] /** Between each child and the next: 1 for <->, N for <N>. */;
      distances: number[];
    };

/**
 * Reads a tsquery's text form, as PostgreSQL prints it: `'a' & ( 'b' | !'c' ) & 'd' <-> 'e':*`.
 * Returns null for the empty query (only stop words).
 */
export function parseTsquery(text: string): QueryNode | null {
  let i = 0;
  const skip = () => {
    while (text.charCodeAt(i) === 32) i++;
  };
  // Precedence, loosest first: |, &, <->, !.
  const parseOr = (): QueryNode => {
    const children = [parseAnd()];
    for (skip(); text[i] === '|'; skip()) {
      i++;
      children.push(parseAnd());
    }
    return children.length === 1 ? children[0] : { kind: 'or', children };
  };
  const parseAnd = (): QueryNode => {
    const children = [parsePhrase()];
    for (skip(); text[i] === '&'; skip()) {
      i++;
      children.push(parsePhrase());
    }
    return children.length === 1 ? children[0] : { kind: 'and', children };
  };
  const parsePhrase = (): QueryNode => {
    const children = [parseUnary()];
    const distances: number[] = [];
    for (skip(); text[i] === '<'; skip()) {
      const close = text.indexOf('>', i);
      if (close < 0) throw new Error('tsquery illisible : opérateur de phrase non fermé');
      const operator = text.slice(i + 1, close);
      distances.push(operator === '-' ? 1 : Number(operator));
      i = close + 1;
      children.push(parseUnary());
    }
    return children.length === 1 ? children[0] : { kind: 'phrase', children, distances };
  };
  const parseUnary = (): QueryNode => {
    skip();
    if (text[i] === '!') {
      i++;
      return { kind: 'not', child: parseUnary() };
    }
    if (text[i] === '(') {
      i++;
      const inner = parseOr();
      skip();
      if (text[i] !== ')') throw new Error('tsquery illisible : parenthèse non fermée');
      i++;
      return inner;
    }
    const [lexeme, next] = readQuoted(text, i);
    i = next;
    let prefix = false;
    let weights = 0;
    if (text[i] === ':') {
      i++;
      for (; /[*A-Da-d]/.test(text[i] ?? ''); i++) {
        if (text[i] === '*') prefix = true;
        else weights |= WEIGHT_BITS[text[i].toUpperCase()];
      }
    }
    return { kind: 'lexeme', lexeme, prefix, weights };
  };
  skip();
  if (i >= text.length) return null;
  const node = parseOr();
  skip();
  if (i < text.length) throw new Error(`tsquery illisible à la position ${i}`);
  return node;
}

function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** A tsquery tree back in PostgreSQL's text form, which `::tsquery` reads as it is. */
export function formatTsquery(node: QueryNode): string {
  switch (node.kind) {
    case 'lexeme': {
      const weights = ['A', 'B', 'C', 'D'].filter((_, i) => node.weights & (8 >> i)).join('');
      const suffix = node.prefix || weights ? `:${node.prefix ? '*' : ''}${weights}` : '';
      return quoteLexeme(node.lexeme) + suffix;
    }
    case 'not':
      return `!( ${formatTsquery(node.child)} )`;
    case 'phrase':
      return node.children
        .map((child, i) => `${i > 0 ? ` <${node.distances[i - 1]}> ` : ''}( ${formatTsquery(child)} )`)
        .join('');
    default:
      return node.children.map((child) => `( ${formatTsquery(child)} )`).join(node.kind === 'and' ? ' & ' : ' | ');
  }
}

/** Any one of the wanted parts of a query (its AND groups that are not exclusions), joined by OR. */
export function anyWanted(node: QueryNode): QueryNode | null {
  const groups = (node.kind === 'and' ? node.children : [node]).filter((g) => g.kind !== 'not');
  if (groups.length === 0) return null;
  return groups.length === 1 ? groups[0] : { kind: 'or', children: groups };
}
