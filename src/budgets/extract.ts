/**
 * Reads the free-text "Ressources financières mobilisées" of a fiche into figures. Centres write
 * it as they like: a lone amount, a sentence, a list of charges and products with or without
 * totals, a spreadsheet pasted flat. The extractor only reports what the text states; an
 * amount it cannot place is left out rather than guessed.
 *
 * Word boundaries are Unicode-aware throughout (`\b` in a JavaScript pattern sees « é » as a
 * non-letter, which once read « café » as the Caf): every pattern goes through `words()`.
 */

import { type Funder, findFunders } from './funders.js';
import {
  AMOUNT,
  amountsIn,
  itemsOf,
  type Kind,
  kindOf,
  type Line,
  linesOf,
  round,
  VOLUNTEERING,
  words,
  wordsTest,
} from './text.js';

export { type Funder, KNOWN_FUNDERS } from './funders.js';

/**
 * How sure a figure is: `high` when the text labels it (a "Total charges", the only amount of
 * the text), `medium` when it is read from a sentence ("un coût global de…") or added up from
 * the lines of a labelled list, `low` when the text itself says it is approximate.
 */
export type Confidence = 'high' | 'medium' | 'low';

/** An amount in euros, and how it was read. */
export interface Figure {
  amount: number;
  confidence: Confidence;
}

/** What a fiche's resources text says about money. */
export interface Budget {
  charges: Figure | null;
  products: Figure | null;
  /** The action's overall amount: its charges, else its products, else the one amount stated. */
  total: Figure | null;
  funders: Funder[];
  /** The volunteers' time valued in euros (« valorisation du bénévolat »): no funder, no money spent. */
  volunteering: number | null;
}

/** Raised when the way budgets are read changes, so that stored budgets are read again. */
export const EXTRACTOR_VERSION = 2;

// "Total : 4256.95€", "TOTAL CHARGES : 5647€", "Total dépenses de l'exercice 2 704,08 €",
// "Coût total de la sortie : 1 130 €", "Total des financements : 2 500 €".
const TOTAL = words(
  /\b(?:(co[uû]t|charges|d[ée]penses|produits|recettes)\s+)?total(?:e?s)?\b\s*(?:des\s+)?(charges|d[ée]penses|produits|recettes|financements)?/gi,
);
// "un coût global de 4410€", "le budget … évalué à 38 297.47€", "les charges … représentaient 36400€".
const STATEMENT = words(
  /\b(budget|co[uû]t|charges|d[ée]penses|produits|recettes)\b[^.€\d\n]{0,40}?(?:\b(?:de|à|est|était|représent\p{L}*|s'él[eè]v\p{L}*(?: à)?)|:|=)\s*$/iu,
);
// "Le projet a coûté 980 €": the verb states the charges.
const COST_VERB = words(/\bco[uû]t(?:é|e|ait|era)\s*(?:environ\s*)?$/i);
const isApproximate = wordsTest(/\b(?:environ|approximativement|à peu près|près de|estimée?s? à)\b|~/i);

function labelledTotals(lines: Line[]) {
  const totals: Array<{ kind: Kind | null; amount: number }> = [];
  for (const line of lines) {
    // Most lines hold no total: neither the pattern's boundaries nor the amounts are then read.
    if (!/total/i.test(line.text)) continue;
    const amounts = amountsIn(line.text);
    let plain = 0;
    for (const m of line.text.matchAll(TOTAL)) {
      const start = (m.index ?? 0) + m[0].length;
      const next = amounts.find((a) => a.index >= start && !/total/i.test(line.text.slice(start, a.index)));
      if (!next) continue;
      let kind = kindOf(m[2]) ?? kindOf(m[1]) ?? line.kind;
      if (kind === null && line.flat) kind = plain++ === 0 ? 'charges' : 'products';
      totals.push({ kind, amount: next.value });
    }
  }
  return totals;
}

/** The sum of the last amount of each item of a section, volunteering and totals left out. */
function sectionSum(lines: Line[], kind: Kind): number | null {
  const values = lines
    .filter((line) => line.kind === kind && !/total/i.test(line.text) && !VOLUNTEERING.test(line.text))
    .flatMap((line) => itemsOf(line.text))
    .map((item) => amountsIn(item).at(-1)?.value)
    .filter((v): v is number => v !== undefined);
  return values.length >= 1 ? round(values.reduce((a, b) => a + b, 0)) : null;
}

function statements(text: string) {
  const found: Array<{ kind: Kind | 'total'; amount: number; approximate: boolean }> = [];
  for (const amount of amountsIn(text)) {
    const before = text.slice(Math.max(0, amount.index - 80), amount.index);
    const verb = COST_VERB.exec(before);
    if (verb) {
      found.push({ kind: 'charges', amount: amount.value, approximate: isApproximate(verb[0]) });
      continue;
    }
    const m = STATEMENT.exec(before);
    if (!m) continue;
    const kind = /^budget$/i.test(m[1]) ? 'total' : (kindOf(m[1]) ?? 'total');
    found.push({ kind, amount: amount.value, approximate: isApproximate(before.slice(m.index)) });
  }
  return found;
}

// "800 € (Caf : 500 €, fonds propres : 300 €)": an amount broken down in the parentheses after it.
function brokenDownAmount(text: string): number | null {
  for (const amount of amountsIn(text)) {
    const open = /^\s*\((?:dont\s*)?/.exec(text.slice(amount.end));
    if (!open) continue;
    const close = text.indexOf(')', amount.end);
    if (close < 0) continue;
    const parts = amountsIn(text.slice(amount.end, close));
    if (parts.length >= 2 && round(parts.reduce((a, p) => a + p.value, 0)) === amount.value) return amount.value;
  }
  return null;
}

function volunteeringIn(lines: Line[]): number | null {
  for (const line of lines) {
    for (const item of itemsOf(line.text)) {
      const m = VOLUNTEERING.exec(item);
      const amount = m ? amountsIn(item.slice(m.index)).at(0) : undefined;
      if (amount) return amount.value;
    }
  }
  return null;
}

function figure(amount: number, confidence: Confidence): Figure {
  return { amount, confidence };
}

/** Reads a resources text; a text that states no amount gives a budget with no figures. */
export function extractBudget(text: string | null): Budget {
  const clean = (text ?? '').replace(/\r\n?/g, '\n');
  const lines = linesOf(clean);
  const { funders, fundedAmounts } = findFunders(lines);
  const volunteering = volunteeringIn(lines);
  const approximate = isApproximate(clean);
  const lower = (c: Confidence): Confidence => (approximate ? 'low' : c);
  // The amounts that count: unit prices are already out, the volunteers' time too.
  const amounts = amountsIn(clean).filter((a) => a.value !== volunteering);
  const fundersSum = round(funders.reduce((sum, f) => sum + (f.amount ?? 0), 0));
  const allFunded = fundedAmounts >= 2 && fundedAmounts === amounts.length;

  let charges: Figure | null = null;
  let products: Figure | null = null;
  let total: Figure | null = null;

  const totals = labelledTotals(lines);
  const firstTotal = (kind: Kind | null) => totals.find((t) => t.kind === kind)?.amount;
  const chargesTotal = firstTotal('charges');
  const productsTotal = firstTotal('products');
  const plainTotal = firstTotal(null);
  if (chargesTotal !== undefined) charges = figure(chargesTotal, lower('high'));
  if (productsTotal !== undefined) products = figure(productsTotal, lower('high'));

  const chargesSum = charges ? null : sectionSum(lines, 'charges');
  const productsSum = products ? null : sectionSum(lines, 'products');
  if (chargesSum !== null) charges = figure(chargesSum, lower('medium'));
  if (productsSum !== null) products = figure(productsSum, lower('medium'));
  if (plainTotal !== undefined) {
    total = figure(plainTotal, lower('high'));
    // A total under nothing but funders' amounts ("Subvention CARSAT : …, Total : …") is theirs.
    if (!charges && !products && fundedAmounts >= 1 && fundedAmounts === amounts.length - 1) products = total;
  }
  // "CAF 1 430€ / CARSAT 800€ / Ville 400€": every amount of the text is a funder's.
  if (!charges && !products && !total && allFunded) products = figure(fundersSum, lower('medium'));

  if (!charges && !products && !total) {
    const found = statements(clean);
    const first = (kind: Kind | 'total') => found.find((s) => s.kind === kind);
    const c = first('charges');
    const p = first('products');
    const t = first('total');
    // "environ" elsewhere in the text says nothing of a sentence's own amount.
    const stated = (s: { amount: number; approximate: boolean }) => figure(s.amount, s.approximate ? 'low' : 'medium');
    if (c) charges = stated(c);
    if (p) products = stated(p);
    if (!c && !p && t) total = stated(t);
  }

  if (!charges && !products && !total) {
    const distinct = new Set(amounts.map((a) => a.value));
    // The one amount of the text, or a first line that is nothing but an amount ("7 290 €").
    const firstLine = clean.split('\n').find((l) => l.trim() !== '') ?? '';
    const alone = amountsIn(firstLine);
    const brokenDown = brokenDownAmount(clean);
    if (distinct.size === 1) total = figure(amounts[0].value, lower('high'));
    else if (alone.length === 1 && firstLine.replace(AMOUNT, '').trim() === '')
      total = figure(alone[0].value, lower('high'));
    else if (brokenDown !== null) total = figure(brokenDown, lower('medium'));
  }

  return { charges, products, total: total ?? charges ?? products, funders, volunteering };
}
