/**
 * Reads the free-text "Ressources financières mobilisées" of a fiche into figures. Centres write
 * it as they like: a lone amount, a sentence, a list of charges and products with or without
 * totals, a spreadsheet pasted flat. The extractor only reports what the text states; an
 * amount it cannot place is left out rather than guessed.
 *
 * Word boundaries are Unicode-aware throughout (`\b` in a JavaScript pattern sees « é » as a
 * non-letter, which once read « café » as the Caf): every pattern goes through `words()`.
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
  /** The volunteers' time valued in euros (« valorisation du bénévolat »): no funder, no money spent. */
  volunteering: number | null;
}

/** Raised when the way budgets are read changes, so that stored budgets are read again. */
export const EXTRACTOR_VERSION = 2;

const LETTER = '[\\p{L}\\p{N}_]';
const BOUNDARY = `(?:(?<=${LETTER})(?!${LETTER})|(?<!${LETTER})(?=${LETTER}))`;

/** The pattern with `\b` read as a Unicode word boundary, and the `u` flag. */
function words(pattern: RegExp): RegExp {
  const flags = pattern.flags.includes('u') ? pattern.flags : `${pattern.flags}u`;
  return new RegExp(pattern.source.replaceAll('\\b', BOUNDARY), flags);
}

// An amount with its currency: "1 404,08 €", "38 297.47€", "20 000€", "1.500 €", "1500 euros",
// "1500.00 EUR", "15 k€".
const AMOUNT = words(
  /(?<![\d.,])(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+)(?:[.,](\d{1,2}))?\s*(k\s*)?(?:€|euros?\b|eur\b)/gi,
);

interface Found {
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
const PER_HEAD_BEFORE = words(/\bpar (?:personne|participant|enfant|famille|adhérent|habitant|séance)\s*:?\s*$/i);
const UNIT_AFTER = words(
  /^[^.\n]{0,40}?\b(?:chaque|par (?:personne|participant|enfant|famille|séance|jour|km|mois|adhérent)|du km|le km)\b|^\s*\/\s*(?:pers|km|h\b)/i,
);

function amountsIn(text: string): Found[] {
  const found: Found[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const index = m.index ?? 0;
    const end = index + m[0].length;
    const before = text.slice(Math.max(0, index - 30), index);
    if (UNIT_BEFORE.test(before) || PER_HEAD_BEFORE.test(before) || UNIT_AFTER.test(text.slice(end))) continue;
    found.push({ value: parseAmount(m[1], m[2], m[3] !== undefined), index, end });
  }
  return found;
}

type Kind = 'charges' | 'products';

const KIND_WORDS: Array<[RegExp, Kind]> = [
  [words(/^(?:charges?|d[ée]penses?|co[uû]ts?)\b/i), 'charges'],
  [words(/^(?:produits?|recettes?|financements?|ressources)\b/i), 'products'],
];

function kindOf(word: string | undefined): Kind | null {
  if (!word) return null;
  for (const [pattern, kind] of KIND_WORDS) if (pattern.test(word)) return kind;
  return null;
}

// "Dépenses :", "- CHARGES :", "produits : CARSAT, FDVA…": a line that opens a list of one kind.
const SECTION = words(/^\s*-?\s*(charges|d[ée]penses|produits|recettes|financements)\b\s*:?\s*(.*)$/i);
// A table pasted flat ("Dépenses Montant Recettes Montant …"): both kinds on one line.
const PRODUCTS_WORD = words(/\b(?:produits|recettes|financements)\b/i);
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
const APPROXIMATE = words(/\b(?:environ|approximativement|à peu près|près de|estimée?s? à)\b|~/i);
const VOLUNTEERING = words(/valorisation (?:du |de )?(?:temps )?(?:de )?b[ée]n[ée]vol/i);

interface Line {
  text: string;
  kind: Kind | null;
  /** A table pasted flat: its plain totals are the charges', then the products'. */
  flat: boolean;
}

function linesOf(text: string): Line[] {
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

function labelledTotals(lines: Line[]) {
  const totals: Array<{ kind: Kind | null; amount: number }> = [];
  for (const line of lines) {
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

// The items of a list: lines, and the parts of a line separated by " / ", ", ", ";" or between
// sentences; "50 %, soit 9 000 €" stays one item.
function itemsOf(text: string): string[] {
  return text
    .split(/\s+\/\s+|,\s+(?!soit\b)|;\s*|(?<=[.!?])\s+(?=\p{Lu})/u)
    .map((item) => item.replace(/^\s*-\s*/, '').trim())
    .filter(Boolean);
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
      found.push({ kind: 'charges', amount: amount.value, approximate: APPROXIMATE.test(verb[0]) });
      continue;
    }
    const m = STATEMENT.exec(before);
    if (!m) continue;
    const kind = /^budget$/i.test(m[1]) ? 'total' : (kindOf(m[1]) ?? 'total');
    found.push({ kind, amount: amount.value, approximate: APPROXIMATE.test(before.slice(m.index)) });
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

interface KnownFunder {
  code: string;
  label: string;
  pattern: RegExp;
}

/**
 * The funders the fiches name, most specific first: the first that matches a text wins. Labels
 * are the partners vocabulary's where it has one (« Caf », « CARSAT », « Bailleur social »).
 * Some forms only count with a capital letter: « l'État » (not « en bon état »), « Ville ».
 */
export const KNOWN_FUNDERS: KnownFunder[] = [
  {
    code: 'conference-financeurs',
    label: 'Conférence des financeurs',
    pattern: words(/conf[ée]rence des financeurs|(?:\bCD\s?\d{2,3}\s*-\s*)?\bCFPPA\b/i),
  },
  { code: 'carsat', label: 'CARSAT', pattern: words(/\bcarsat\b/i) },
  { code: 'caf', label: 'Caf', pattern: words(/\bcaf\b|caisse d'allocations? familiales/i) },
  { code: 'msa', label: 'MSA', pattern: words(/\bmsa\b/i) },
  { code: 'ancv', label: 'ANCV', pattern: words(/\bancv\b/i) },
  { code: 'ag2r', label: 'AG2R La Mondiale', pattern: words(/\bag2r\b/i) },
  { code: 'fdva', label: 'FDVA', pattern: words(/\bfdva\b/i) },
  { code: 'fnadt', label: 'FNADT', pattern: words(/\bfnadt\b/i) },
  {
    code: 'europe',
    label: 'Union européenne',
    pattern: words(/\b(?:FSE\+?|FEDER)\b|\bfonds europ[ée]ens?\b|\bunion europ[ée]enne\b/i),
  },
  {
    code: 'bailleur-social',
    label: 'Bailleur social',
    pattern: words(/\bbailleurs? soci(?:al|aux)\b|\boffice public de l'habitat\b|\bOPH\b/i),
  },
  {
    code: 'intercommunalite',
    label: 'Intercommunalité',
    pattern: words(/communaut[ée] (?:de communes?|d'agglom[ée]ration)|\bcdc\b|\bagglo\b/i),
  },
  {
    code: 'commune',
    label: 'Commune',
    pattern: words(/\b(?:[Cc]ommune|COMMUNE|[Mm]airie|MAIRIE|[Vv]ille de|Ville)\b/),
  },
  {
    code: 'departement',
    label: 'Département',
    pattern: words(/\bd[ée]partement\b|conseil d[ée]partemental|conseil g[ée]n[ée]ral|\bCD\s?\d{2,3}\b/i),
  },
  { code: 'region', label: 'Région', pattern: words(/\br[ée]gion\b|conseil r[ée]gional/i) },
  {
    code: 'etat',
    label: 'État',
    pattern: words(/\b[Ll]'[ÉéEe]tat\b|\b[ÉE]tat\b|\b[Pp]r[ée]fecture\b|\bDDCS\b|\bDDETS\b/),
  },
  {
    code: 'participation-habitants',
    label: 'Participation des habitants',
    pattern: words(
      /^participation\b|participation (?:financi[eè]re )?des (?:habitants|b[ée]n[ée]ficiaires|participants|familles|usagers|adhérents)/i,
    ),
  },
  { code: 'autofinancement', label: 'Autofinancement', pattern: words(/auto-?financement|fonds propres/i) },
];

const FUNDERS_LIST = words(/^(?:financeurs|subventions?(?: obtenues)?|financements?)\s*:\s*/i);
const NAMED_FUNDER = /^([^:=\d€(]{2,60}?)\s*(?:[:=]\s*[^:=]*|\(\s*[^()]*€\s*\)\.?)$/u;

type At = { funder: KnownFunder; index: number; end: number };

// Each funder's pattern without its word boundaries: it matches wherever the pattern does, and
// far faster, since the boundaries are lookarounds. Most items name no funder at all, and an
// import reads a hundred thousand of them.
const LOOSE_FUNDERS = KNOWN_FUNDERS.map((f) => new RegExp(f.pattern.source.replaceAll(BOUNDARY, ''), f.pattern.flags));

function knownFundersIn(item: string): At[] {
  const found: At[] = [];
  let rest = item;
  for (const [i, funder] of KNOWN_FUNDERS.entries()) {
    if (!LOOSE_FUNDERS[i].test(rest)) continue;
    const m = funder.pattern.exec(rest);
    if (!m) continue;
    found.push({ funder, index: m.index, end: m.index + m[0].length });
    // Masked so that "communauté de communes" is not a commune as well.
    rest = rest.slice(0, m.index) + ' '.repeat(m[0].length) + rest.slice(m.index + m[0].length);
  }
  return found;
}

// What may stand between a funder and its amount: "CARSAT : 286.95€", "CFPPA 1 404,08 €",
// "CARSAT (1 500 €)", "la CARSAT à hauteur de 1 500 euros"; and, with one funder in the item,
// "(Caf) : 1 800 €". Before it: "8000€ du département", "2 500 € (État)", "450 € sur fonds propres",
// "3 000 € de subvention CARSAT".
const LINK_AFTER = /^[\s:=(–-]*(?:à hauteur de\s*|pour\s*)?$/i;
const LINK_AFTER_CLOSED = /^[\s:=()–-]*$/;
const LINK_BEFORE =
  /^\s*(?:\(|(?:de |d')?(?:subventions?|financements?|aides?|apports?)(?:\s+(?:du|de la|de l'|des|de))?|du|de la|de l'|de notre|des|par la|par le|sur|de)\s*$/i;

function amountNextTo(item: string, at: At, amounts: Found[], alone: boolean): number | null {
  const after = amounts.find((a) => {
    const between = item.slice(at.end, a.index);
    return a.index >= at.end && (LINK_AFTER.test(between) || (alone && LINK_AFTER_CLOSED.test(between)));
  });
  if (after) return after.value;
  const before = amounts.find((a) => a.end <= at.index && LINK_BEFORE.test(item.slice(a.end, at.index)));
  return before?.value ?? null;
}

function findFunders(lines: Line[]): { funders: Funder[]; fundedAmounts: number } {
  const funders: Funder[] = [];
  let fundedAmounts = 0;
  const add = (funder: Funder) => {
    if (funder.amount !== null) fundedAmounts++;
    const same = funders.find((f) => (funder.code ? f.code === funder.code : f.label === funder.label));
    if (!same) funders.push(funder);
    else if (same.amount === null) same.amount = funder.amount;
  };
  for (const line of lines) {
    // What a list of charges names (« salle de la mairie : 200 € ») is spent, not given.
    if (line.kind === 'charges') continue;
    let kind = line.kind;
    for (const listed of itemsOf(line.text)) {
      // "… 12 400 €. Financeurs : Caf du Nord (6 000 €), …": a list of funders within a line.
      const opener = FUNDERS_LIST.exec(listed);
      if (opener) kind = 'products';
      const item = opener ? listed.slice(opener[0].length) : listed;
      if (VOLUNTEERING.test(item)) continue;
      const amounts = amountsIn(item);
      const known = knownFundersIn(item);
      for (const at of known) {
        const amount =
          amountNextTo(item, at, amounts, known.length === 1) ??
          (known.length === 1 && amounts.length === 1 ? amounts[0].value : null);
        add({ code: at.funder.code, label: at.funder.label, amount });
      }
      // In a list of products, "Mutuelle La Choletaise = 700€" or "Fondation de France (2 400 €)"
      // names a funder too.
      const named = NAMED_FUNDER.exec(item);
      if (known.length === 0 && kind === 'products' && amounts.length === 1 && named && !/total/i.test(item)) {
        add({ code: null, label: named[1].trim(), amount: amounts[0].value });
      }
    }
  }
  return { funders, fundedAmounts };
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

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Reads a resources text; a text that states no amount gives a budget with no figures. */
export function extractBudget(text: string | null): Budget {
  const clean = (text ?? '').replace(/\r\n?/g, '\n');
  const lines = linesOf(clean);
  const { funders, fundedAmounts } = findFunders(lines);
  const volunteering = volunteeringIn(lines);
  const approximate = APPROXIMATE.test(clean);
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
