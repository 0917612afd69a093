/** The funders a resources text names, and the amount each gives when the text states one. */
import { amountsIn, type Found, itemsOf, type Line, VOLUNTEERING, withoutBoundaries, words } from './text.js';

/** A funder named by the text, with the amount it gives when the text states one. */
export interface Funder {
  /** The code of a known funder (`carsat`, `caf`…), or null for a name only this text uses. */
  code: string | null;
  label: string;
  amount: number | null;
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

// Most items name no funder at all, and an import reads a hundred thousand of them.
const LOOSE_FUNDERS = KNOWN_FUNDERS.map((f) => withoutBoundaries(f.pattern));

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

/** The funders the lines name, and how many amounts were read as a funder's. */
export function findFunders(lines: Line[]): { funders: Funder[]; fundedAmounts: number } {
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
