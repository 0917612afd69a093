/**
 * Reads the free-text "Ressources financières mobilisées" of a fiche into figures. Centres write
 * it as they like: a lone amount, a sentence, a list of charges and products with or without
 * totals, a spreadsheet pasted flat. The extractor only reports what the text states; an
 * amount it cannot place is left out rather than guessed.
 */

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

/** A funder named by the text, with the amount it gives when the text states one. */
export interface Funder {
  /** The code of a known funder (`carsat`, `caf`…), or null for a name only this text uses. */
  code: string | null;
  label: string;
  amount: number | null;
}

/** What a fiche's resources text says about money. */
export interface Budget {
  charges: Figure | null;
  products: Figure | null;
  /** The action's overall amount: its charges, else its products, else the one amount stated. */
  total: Figure | null;
  funders: Funder[];
}

/** Raised when the way budgets are read changes, so that stored budgets are read again. */
export const EXTRACTOR_VERSION = 1;

// An amount with its currency: "1 404,08 €", "38 297.47€", "20 000€", "1.500 €", "1500 euros".
const AMOUNT = /(?<![\d.,])(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+)(?:[.,](\d{1,2}))?\s*(?:€|euros?\b|eur\b)/giu;

interface Found {
  value: number;
  index: number;
  end: number;
}

function parseAmount(integer: string, decimals: string | undefined): number {
  const units = Number(integer.replace(/[ \u00a0\u202f.]/g, ''));
  return decimals === undefined ? units : Math.round((units + Number(`0.${decimals}`)) * 100) / 100;
}

// A unit price ("24 x 12 €", "0,35 € du km", "50 € … à chaque participant") is not a budget.
const UNIT_BEFORE = /\d\s*x\s*$/i;
const UNIT_AFTER =
  /^[^.\n]{0,40}?\b(?:chaque|par (?:personne|participant|enfant|famille|séance|jour|km)|du km|le km)\b|^\s*\/\s*(?:pers|km|h\b)/i;

function amountsIn(text: string): Found[] {
  const found: Found[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const index = m.index ?? 0;
    const end = index + m[0].length;
    if (UNIT_BEFORE.test(text.slice(Math.max(0, index - 6), index)) || UNIT_AFTER.test(text.slice(end))) continue;
    found.push({ value: parseAmount(m[1], m[2]), index, end });
  }
  return found;
}

type Kind = 'charges' | 'products';

const KIND_WORDS: Array<[RegExp, Kind]> = [
  [/^(?:charges?|d[ée]penses?|co[uû]ts?)\b/i, 'charges'],
  [/^(?:produits?|recettes?|financements?|ressources)\b/i, 'products'],
];

function kindOf(word: string | undefined): Kind | null {
  if (!word) return null;
  for (const [pattern, kind] of KIND_WORDS) if (pattern.test(word)) return kind;
  return null;
}

// "Dépenses :", "- CHARGES :", "produits : CARSAT, FDVA…": a line that opens a list of one kind.
const SECTION = /^\s*-?\s*(charges|d[ée]penses|produits|recettes|financements)\s*:?\s*(.*)$/i;
// "Total : 4256.95€", "TOTAL CHARGES : 5647€", "Total dépenses de l'exercice 2 704,08 €".
const TOTAL = /\btotal\b\s*(?:des\s+)?(charges|d[ée]penses|produits|recettes|financements)?/giu;
// "un coût global de 4410€", "le budget … évalué à 38 297.47€", "les charges … représentaient 36400€".
const STATEMENT =
  /\b(budget|co[uû]t|charges|d[ée]penses|produits|recettes)\b[^.€\d\n]{0,40}?(?:(?<!\p{L})(?:de|à|est|était|représent\p{L}*|s'él[eè]v\p{L}*(?: à)?)|:|=)\s*$/iu;
const APPROXIMATE = /\b(?:environ|approximativement|à peu près|près de|estimée?s? à)\b|~/i;

interface Line {
  text: string;
  kind: Kind | null;
  /** The line opens its section ("Dépenses :"), possibly with items after the colon. */
  heading: boolean;
}

function linesOf(text: string): Line[] {
  let kind: Kind | null = null;
  return text.split('\n').map((raw) => {
    const section = SECTION.exec(raw);
    if (section) {
      kind = kindOf(section[1]);
      return { text: section[2], kind, heading: true };
    }
    return { text: raw, kind, heading: false };
  });
}

function labelledTotals(lines: Line[]) {
  const totals: Array<{ kind: Kind | null; amount: number }> = [];
  for (const line of lines) {
    const amounts = amountsIn(line.text);
    for (const m of line.text.matchAll(TOTAL)) {
      const start = (m.index ?? 0) + m[0].length;
      const next = amounts.find((a) => a.index >= start && !/\btotal\b/i.test(line.text.slice(start, a.index)));
      if (next) totals.push({ kind: kindOf(m[1]) ?? line.kind, amount: next.value });
    }
  }
  return totals;
}

// The items of a list: lines, and the parts of a line separated by " / " or ", ".
function itemsOf(text: string): string[] {
  return text
    .split(/\s+\/\s+|,\s+|;\s*/)
    .map((item) => item.replace(/^\s*-\s*/, '').trim())
    .filter(Boolean);
}

/** The sum of the last amount of each item of a section, when it has at least two. */
function sectionSum(lines: Line[], kind: Kind): number | null {
  const values = lines
    .filter((line) => line.kind === kind && !/\btotal\b/i.test(line.text))
    .flatMap((line) => itemsOf(line.text))
    .map((item) => amountsIn(item).at(-1)?.value)
    .filter((v): v is number => v !== undefined);
  return values.length >= 2 ? Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100 : null;
}

function statements(text: string) {
  const found: Array<{ kind: Kind | 'total'; amount: number; approximate: boolean }> = [];
  for (const amount of amountsIn(text)) {
    const before = text.slice(Math.max(0, amount.index - 80), amount.index);
    const m = STATEMENT.exec(before);
    if (!m) continue;
    const kind = /^budget$/i.test(m[1]) ? 'total' : (kindOf(m[1]) ?? 'total');
    found.push({ kind, amount: amount.value, approximate: APPROXIMATE.test(before.slice(m.index)) });
  }
  return found;
}

interface KnownFunder {
  code: string;
  label: string;
  pattern: RegExp;
}

/** The funders the fiches name, most specific first: the first that matches a text wins. */
export const KNOWN_FUNDERS: KnownFunder[] = [
  {
    code: 'conference-financeurs',
    label: 'Conférence des financeurs',
    pattern: /conf[ée]rence des financeurs|\bCFPPA\b/i,
  },
  { code: 'carsat', label: 'CARSAT', pattern: /\bcarsat\b/i },
  { code: 'caf', label: 'CAF', pattern: /\bcaf\b|caisse d'allocations familiales/i },
  { code: 'msa', label: 'MSA', pattern: /\bmsa\b/i },
  { code: 'ancv', label: 'ANCV', pattern: /\bancv\b/i },
  { code: 'ag2r', label: 'AG2R La Mondiale', pattern: /\bag2r\b/i },
  { code: 'fdva', label: 'FDVA', pattern: /\bfdva\b/i },
  { code: 'fnadt', label: 'FNADT', pattern: /\bfnadt\b/i },
  {
    code: 'intercommunalite',
    label: 'Intercommunalité',
    pattern: /communaut[ée] (?:de communes?|d'agglom[ée]ration)|\bcdc\b|\bagglo\b/i,
  },
  { code: 'commune', label: 'Commune', pattern: /\bcommune\b|\bmairie\b|\bville de\b/i },
  { code: 'departement', label: 'Département', pattern: /\bd[ée]partement\b|conseil d[ée]partemental/i },
  { code: 'region', label: 'Région', pattern: /\br[ée]gion\b|conseil r[ée]gional/i },
  { code: 'etat', label: 'État', pattern: /\bl'[ée]tat\b|\bpr[ée]fecture\b|\bddcs\b/i },
  {
    code: 'participation-habitants',
    label: 'Participation des habitants',
    pattern:
      /^participation\b|participation (?:financi[eè]re )?des (?:habitants|b[ée]n[ée]ficiaires|participants|familles|usagers)/i,
  },
  { code: 'autofinancement', label: 'Autofinancement', pattern: /auto-?financement|fonds propres/i },
  { code: 'benevolat', label: 'Valorisation du bénévolat', pattern: /valorisation du b[ée]n[ée]volat/i },
];

function knownFundersIn(item: string): Array<{ funder: KnownFunder; index: number; end: number }> {
  const found: Array<{ funder: KnownFunder; index: number; end: number }> = [];
  let rest = item;
  for (const funder of KNOWN_FUNDERS) {
    const m = funder.pattern.exec(rest);
    if (!m) continue;
    found.push({ funder, index: m.index, end: m.index + m[0].length });
    // Masked so that "communauté de communes" is not a commune as well.
    rest = rest.slice(0, m.index) + ' '.repeat(m[0].length) + rest.slice(m.index + m[0].length);
  }
  return found;
}

// An amount next to a funder's name: "CARSAT : 286.95€", "CFPPA 1 404,08 €", "8000€ du département".
function amountNextTo(item: string, at: { index: number; end: number }, amounts: Found[]): number | null {
  const after = amounts.find((a) => a.index >= at.end && /^[\s:=-]*$/.test(item.slice(at.end, a.index)));
  if (after) return after.value;
  const before = amounts.find(
    (a) =>
      a.end <= at.index && /^\s*(?:du|de la|de l'|de notre|des|par la|par le)\s*$/i.test(item.slice(a.end, at.index)),
  );
  return before?.value ?? null;
}

function findFunders(lines: Line[]): Funder[] {
  const funders: Funder[] = [];
  const add = (funder: Funder) => {
    const same = funders.find((f) => (funder.code ? f.code === funder.code : f.label === funder.label));
    if (!same) funders.push(funder);
    else if (same.amount === null) same.amount = funder.amount;
  };
  for (const line of lines) {
    for (const item of itemsOf(line.text)) {
      const amounts = amountsIn(item);
      const known = knownFundersIn(item);
      for (const at of known) {
        const amount =
          amountNextTo(item, at, amounts) ?? (known.length === 1 && amounts.length === 1 ? amounts[0].value : null);
        add({ code: at.funder.code, label: at.funder.label, amount });
      }
      // In a list of products, a line "Mutuelle La Choletaise = 700€" names a funder too.
      const named = /^([^:=\d€]{2,60}?)\s*[:=]\s*[^:=]*$/.exec(item);
      if (known.length === 0 && line.kind === 'products' && amounts.length === 1 && named && !/\btotal\b/i.test(item)) {
        add({ code: null, label: named[1].trim(), amount: amounts[0].value });
      }
    }
  }
  return funders;
}

function figure(amount: number, confidence: Confidence): Figure {
  return { amount, confidence };
}

/** Reads a resources text; a text that states no amount gives a budget with no figures. */
export function extractBudget(text: string | null): Budget {
  const clean = (text ?? '').replace(/\r\n?/g, '\n');
  const lines = linesOf(clean);
  const funders = findFunders(lines);
  const approximate = APPROXIMATE.test(clean);
  const lower = (c: Confidence): Confidence => (approximate ? 'low' : c);

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
  if (plainTotal !== undefined) total = figure(plainTotal, lower('high'));

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
    const all = amountsIn(clean);
    const distinct = new Set(all.map((a) => a.value));
    // The one amount of the text, or a first line that is nothing but an amount ("7 290 €").
    const firstLine = clean.split('\n').find((l) => l.trim() !== '') ?? '';
    const alone = amountsIn(firstLine);
    if (distinct.size === 1) total = figure(all[0].value, lower('high'));
    else if (alone.length === 1 && firstLine.replace(AMOUNT, '').trim() === '')
      total = figure(alone[0].value, lower('high'));
  }

  return { charges, products, total: total ?? charges ?? products, funders };
}
