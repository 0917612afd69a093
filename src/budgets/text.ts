/**
 * The pieces a budget is read from: Unicode word patterns, amounts in euros and what is only a
 * unit price, the lines of a text and the kind of list each belongs to, the items of a list.
 */

const LETTER = '[\\p{L}\\p{N}_]';
const BOUNDARY = `(?:(?<=${LETTER})(?!${LETTER})|(?<!${LETTER})(?=${LETTER}))`;

/** The pattern with `\b` read as a Unicode word boundary, and the `u` flag. */
export function words(pattern: RegExp): RegExp {
  const flags = pattern.flags.includes('u') ? pattern.flags : `${pattern.flags}u`;
  return new RegExp(pattern.source.replaceAll('\\b', BOUNDARY), flags);
}

/**
 * A `words` pattern without its word boundaries: it matches wherever the pattern does (taking
 * zero-width assertions out only widens the matches), and far faster, since the boundaries are
 * lookarounds tried at every position. A cheap test to run first.
 */
export function withoutBoundaries(pattern: RegExp): RegExp {
  return new RegExp(pattern.source.replaceAll(BOUNDARY, ''), pattern.flags);
}

/** A test of a `words` pattern (without the `g` flag) that tries it without its boundaries first. */
export function wordsTest(pattern: RegExp): (text: string) => boolean {
  const exact = words(pattern);
  const loose = withoutBoundaries(exact);
  return (text) => loose.test(text) && exact.test(text);
}

// An amount with its currency: "1 404,08 €", "38 297.47€", "20 000€", "1.500 €", "1500 euros",
// "1500.00 EUR", "15 k€".
export const AMOUNT = words(
  /(?<![\d.,])(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+)(?:[.,](\d{1,2}))?\s*(k\s*)?(?:€|euros?\b|eur\b)/gi,
);

export interface Found {
  value: number;
  index: number;
  end: number;
}

function parseAmount(integer: string, decimals: string | undefined, thousands: boolean): number {
  const units = Number(integer.replace(/[ \u00a0\u202f.]/g, ''));
  const value = decimals === undefined ? units : units + Number(`0.${decimals}`);
  return Math.round(value * (thousands ? 1000 : 1) * 100) / 100;
}

// A unit price ("24 x 12 €", "0,35 € du km", "50 € … à chaque participant") is not a budget.
const UNIT_BEFORE = /\d\s*x\s*$/i;
// "Coût par participant : 15 €" is a unit cost too.
const isPerHeadBefore = wordsTest(/\bpar (?:personne|participant|enfant|famille|adhérent|habitant|séance)\s*:?\s*$/i);
const UNIT_AFTER = words(
  /^[^.\n]{0,40}?\b(?:chaque|par (?:personne|participant|enfant|famille|séance|jour|km|mois|adhérent)|du km|le km)\b|^\s*\/\s*(?:pers|km|h\b)/i,
);

/** The amounts in euros of a text, with their places; unit prices left out. */
export function amountsIn(text: string): Found[] {
  const found: Found[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const index = m.index ?? 0;
    const end = index + m[0].length;
    const before = text.slice(Math.max(0, index - 30), index);
    if (UNIT_BEFORE.test(before) || isPerHeadBefore(before) || UNIT_AFTER.test(text.slice(end))) continue;
    found.push({ value: parseAmount(m[1], m[2], m[3] !== undefined), index, end });
  }
  return found;
}

export type Kind = 'charges' | 'products';

const KIND_WORDS: Array<[RegExp, Kind]> = [
  [words(/^(?:charges?|d[ée]penses?|co[uû]ts?)\b/i), 'charges'],
  [words(/^(?:produits?|recettes?|financements?|ressources)\b/i), 'products'],
];

/** The kind of list a word opens (« Dépenses », « Recettes »…), or null. */
export function kindOf(word: string | undefined): Kind | null {
  if (!word) return null;
  for (const [pattern, kind] of KIND_WORDS) if (pattern.test(word)) return kind;
  return null;
}

// "Dépenses :", "- CHARGES :", "produits : CARSAT, FDVA…": a line that opens a list of one kind.
const SECTION = words(/^\s*-?\s*(charges|d[ée]penses|produits|recettes|financements)\b\s*:?\s*(.*)$/i);
// A table pasted flat ("Dépenses Montant Recettes Montant …"): both kinds on one line.
const PRODUCTS_WORD = words(/\b(?:produits|recettes|financements)\b/i);

/** « Valorisation du bénévolat »: the volunteers' time valued in euros, not money. */
export const VOLUNTEERING = words(/valorisation (?:du |de )?(?:temps )?(?:de )?b[ée]n[ée]vol/i);

export interface Line {
  text: string;
  kind: Kind | null;
  /** A table pasted flat: its plain totals are the charges', then the products'. */
  flat: boolean;
}

/** The lines of a text, each with the kind of list it belongs to. */
export function linesOf(text: string): Line[] {
  let kind: Kind | null = null;
  return text.split('\n').map((raw) => {
    const section = SECTION.exec(raw);
    if (section && PRODUCTS_WORD.test(section[2]) && kindOf(section[1]) === 'charges') {
      kind = null;
      return { text: raw, kind, flat: true };
    }
    if (section) {
      kind = kindOf(section[1]);
      return { text: section[2], kind, flat: false };
    }
    return { text: raw, kind, flat: false };
  });
}

/**
 * The items of a list: lines, and the parts of a line separated by " / ", ", ", ";" or between
 * sentences; "50 %, soit 9 000 €" stays one item.
 */
export function itemsOf(text: string): string[] {
  return text
    .split(/\s+\/\s+|,\s+(?!soit\b)|;\s*|(?<=[.!?])\s+(?=\p{Lu})/u)
    .map((item) => item.replace(/^\s*-\s*/, '').trim())
    .filter(Boolean);
}

/** An amount rounded to the cent. */
export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
