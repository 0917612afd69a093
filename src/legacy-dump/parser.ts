import { DETAIL_MAX, STRUCTURE_NAME_MAX, TEXT_MAX, TITLE_MAX } from '../actions/fiche.js';
import { excerpt, frenchSpacing, quote } from '../core/typography.js';
import {
  ACTION_PARTNERS_HEADING,
  type DumpFiche,
  FICHE_START,
  FIELDS,
  FINANCIAL_PARTNERS_HEADING,
  type FieldSpec,
  HEADER,
  isLabelLine,
  LIST_OPENER,
  labelLine,
} from './format.js';
import { Lines } from './lines.js';

/** A problem found in a dump, located by line (1-based) and, when known, the fiche's title. */
export interface DumpProblem {
  line: number;
  fiche?: string;
  message: string;
}

/** "Ligne 12 (fiche « Titre ») : message", with French spacing. */
export function formatProblem(problem: DumpProblem): string {
  const where = problem.fiche
    ? `Ligne ${problem.line} (fiche ${quote(excerpt(problem.fiche, 80))})`
    : `Ligne ${problem.line}`;
  return frenchSpacing(`${where} : ${problem.message}`);
}

export interface ParseResult {
  fiches: DumpFiche[];
  errors: DumpProblem[];
  warnings: DumpProblem[];
}

/** A dump whose fiches are read one at a time, once the file as a whole has been checked. */
export interface DumpReader {
  /** The file's problems, then those of each fiche read so far. */
  errors: DumpProblem[];
  warnings: DumpProblem[];
  /** How many fiches the file opens: as many as `fiches` gives when none has a problem. */
  opened: number;
  /** The fiches, in order; one with a problem is left out, and its problems added to `errors`. */
  fiches(): Generator<DumpFiche>;
}

/**
 * Reads a dump in the observatory's plain-text format. Only an exact field label starts a
 * field, so free text may hold lines that begin with "- ". Never throws on bad input: every
 * problem is returned with its line number.
 */
export function parseDump(input: string | Uint8Array): ParseResult {
  const dump = readDump(input);
  const fiches = [...dump.fiches()];
  return { fiches, errors: dump.errors, warnings: dump.warnings };
}

/** As `parseDump`, each fiche read when asked for; a file that is not a dump has its errors at once. */
export function readDump(input: string | Uint8Array): DumpReader {
  const errors: DumpProblem[] = [];
  const warnings: DumpProblem[] = [];
  const none = { errors, warnings, opened: 0, *fiches() {} };
  const text = typeof input === 'string' ? input : decodeUtf8(input, errors);
  if (text === undefined) return none;

  const lines = new Lines(text, text.startsWith('\uFEFF') ? 1 : 0);

  // PostgreSQL cannot store a NUL character: a file holding one is binary or damaged.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = lines.lineOf(nul) + 1;
    errors.push({ line, message: 'caractère nul (U+0000) : le fichier est endommagé ou n’est pas un texte.' });
    return none;
  }
  if (!/\S/.test(text)) {
    errors.push({ line: 1, message: 'le fichier est vide.' });
    return none;
  }
  const first = lines.is(0, HEADER) ? 1 : 0;
  if (first === 0 && !lines.is(0, FICHE_START)) {
    errors.push({
      line: 1,
      message: `ce fichier n’est pas un export de fiches actions : la première ligne devrait être ${quote(HEADER)}, elle est ${show(lines.at(0) as string)}.`,
    });
    return none;
  }

  const reader = new FicheReader(lines, errors, warnings);
  let opened = 0;
  for (let j = first; j < lines.length; j++) if (reader.isFicheStart(j)) opened++;
  return {
    errors,
    warnings,
    opened,
    *fiches() {
      let i = first;
      while (i < lines.length) {
        if (!lines.is(i, FICHE_START)) {
          errors.push({
            line: i + 1,
            message: `${quote(FICHE_START)} attendu au début d’une fiche, trouvé ${show(lines.at(i) as string)}.`,
          });
          i = reader.nextFicheStart(i + 1);
          continue;
        }
        const { fiche, next } = reader.read(i);
        i = next;
        if (fiche) yield fiche;
      }
    },
  };
}

function decodeUtf8(bytes: Uint8Array, errors: DumpProblem[]): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    // The file is read whole, and a JavaScript string holds at most 536 870 888 characters.
    if ((error as NodeJS.ErrnoException).code === 'ERR_STRING_TOO_LONG') {
      const size = new Intl.NumberFormat('fr-FR').format(Math.round(bytes.length / 1e6));
      errors.push({
        line: 1,
        message: `fichier trop volumineux (${size} Mo) : un import lit au plus 536 millions de caractères. Découpez-le en plusieurs fichiers, chacun commençant par une ligne ${quote(FICHE_START)} suivie du titre d’une fiche, et importez-les l’un après l’autre.`,
      });
      return undefined;
    }
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const line = lossy.slice(0, lossy.indexOf('\uFFFD')).split('\n').length;
    errors.push({ line, message: 'le fichier n’est pas encodé en UTF-8 (caractère illisible sur cette ligne).' });
    return undefined;
  }
}

function show(line: string): string {
  return line.trim() === '' ? 'une ligne vide' : quote(excerpt(line));
}

class FicheReader {
  constructor(
    private readonly lines: Lines,
    private readonly errors: DumpProblem[],
    private readonly warnings: DumpProblem[],
  ) {}

  /**
   * True when line j opens a fiche: "Actions", a title, then the first label. An "Actions"
   * among the last two lines also counts, so that a file cut there is reported as truncated.
   */
  isFicheStart(j: number): boolean {
    if (!this.lines.is(j, FICHE_START)) return false;
    return j + 2 >= this.lines.length || this.lines.is(j + 2, labelLine(FIELDS[0]));
  }

  nextFicheStart(from: number): number {
    let j = from;
    while (j < this.lines.length && !this.isFicheStart(j)) j++;
    return j;
  }

  read(start: number): { fiche?: DumpFiche; next: number } {
    const { lines } = this;
    const title = lines.at(start + 1);
    if (title === undefined) {
      this.errors.push({ line: start + 1, message: `le fichier s’arrête après ${quote(FICHE_START)}, sans fiche.` });
      return { next: lines.length };
    }
    if (title.trim() === '' || isLabelLine(title)) {
      this.errors.push({ line: start + 2, message: `titre de fiche attendu, trouvé ${show(title)}.` });
      return { next: this.nextFicheStart(start + 1) };
    }
    const fiche = emptyFiche(start + 1, title);
    const before = this.errors.length;
    const problem = (line: number, message: string) => this.errors.push({ line, fiche: title, message });

    let j = start + 2;
    let specIndex = 0;
    while (j < lines.length && specIndex < FIELDS.length && !this.isFicheStart(j)) {
      const line = lines.at(j) as string;
      let k = specIndex;
      while (k < FIELDS.length && labelLine(FIELDS[k]) !== line && isOptional(FIELDS[k])) k++;
      if (k >= FIELDS.length || labelLine(FIELDS[k]) !== line) {
        const expected = (FIELDS.slice(specIndex).find((s) => !isOptional(s)) ?? FIELDS[specIndex]).label;
        problem(
          j + 1,
          isLabelLine(line)
            ? `champ ${quote(line.slice(2))} inattendu ici : le champ ${quote(expected)} était attendu.`
            : `intitulé de champ ${quote(`- ${expected}`)} attendu, trouvé ${show(line)}.`,
        );
        return { next: this.nextFicheStart(j + 1) };
      }
      const spec = FIELDS[k];
      specIndex = k + 1;
      fiche.labelLines[spec.key] = j + 1;
      let end = j + 1;
      while (end < lines.length && !isLabelLine(lines.at(end) as string) && !this.isFicheStart(end)) end++;
      this.readField(fiche, spec, j + 1, lines.slice(j + 1, end), problem);
      j = end;
    }
    const missing = FIELDS.slice(specIndex).find((s) => !isOptional(s));
    if (missing) {
      problem(
        Math.min(j + 1, lines.length),
        j >= lines.length
          ? `fichier tronqué : la fiche s’arrête avant le champ ${quote(missing.label)}.`
          : `la fiche s’arrête avant le champ ${quote(missing.label)}.`,
      );
    }
    if (this.errors.length === before) checkLengths(fiche, problem);
    return { fiche: this.errors.length === before ? fiche : undefined, next: j };
  }

  private readField(
    fiche: DumpFiche,
    spec: FieldSpec,
    firstLine: number,
    content: string[],
    problem: (line: number, message: string) => void,
  ): void {
    if (spec.kind === 'text') {
      fiche[spec.key] = content.length === 0 ? null : content.join('\n');
      return;
    }
    let role: 'action' | 'financial' = 'action';
    const values: string[] = [];
    content.forEach((line, n) => {
      const lineNo = firstLine + n + 1;
      if (line === LIST_OPENER && n === 0) return;
      if (spec.kind === 'partners' && (line === ACTION_PARTNERS_HEADING || line === FINANCIAL_PARTNERS_HEADING)) {
        role = line === ACTION_PARTNERS_HEADING ? 'action' : 'financial';
        return;
      }
      if (!line.startsWith('- ') || line.trim() === '-') {
        problem(
          lineNo,
          `valeur attendue sous la forme ${quote('- valeur')} dans le champ ${quote(spec.label)}, trouvé ${show(line)}.`,
        );
        return;
      }
      const value = line.slice(2);
      if (spec.kind === 'partners') {
        if (fiche.partners.some((p) => p.role === role && p.name === value)) {
          this.warnings.push({
            line: lineNo,
            fiche: fiche.title,
            message: `partenaire ${quote(value)} en double, ignoré.`,
          });
        } else fiche.partners.push({ role, name: value });
        return;
      }
      if (values.includes(value)) {
        this.warnings.push({
          line: lineNo,
          fiche: fiche.title,
          message: `valeur ${quote(value)} en double dans ${quote(spec.label)}, ignorée.`,
        });
        return;
      }
      values.push(value);
    });

    if (spec.kind === 'list') {
      fiche[spec.key] = values;
      return;
    }
    if (spec.kind !== 'single') return;
    if (values.length > 1) {
      problem(
        firstLine + 1,
        `une seule valeur attendue dans le champ ${quote(spec.label)}, ${values.length} trouvées.`,
      );
      return;
    }
    if (spec.key !== 'structure') {
      fiche[spec.key] = values[0] ?? null;
      return;
    }
    const structure = values[0];
    const cut = structure?.lastIndexOf(' - ') ?? -1;
    if (structure === undefined || cut <= 0) {
      problem(
        firstLine + 1,
        structure === undefined
          ? 'la structure organisatrice manque.'
          : `structure sans département : ${quote(structure)} (forme attendue ${quote('NOM - Département')}).`,
      );
      return;
    }
    fiche.structureName = structure.slice(0, cut);
    fiche.departementName = structure.slice(cut + 3);
  }
}

// The limits of the editor, so that what is imported can be edited afterwards.
function checkLengths(fiche: DumpFiche, problem: (line: number, message: string) => void): void {
  const tooLong = (what: string, length: number, max: number) =>
    `${what} trop long : ${length.toLocaleString('fr-FR')} caractères, ${max.toLocaleString('fr-FR')} au plus.`;
  if (fiche.title.length > TITLE_MAX) problem(fiche.line + 1, tooLong('titre', fiche.title.length, TITLE_MAX));
  if (fiche.structureName.length > STRUCTURE_NAME_MAX) {
    problem(
      (fiche.labelLines.structure ?? fiche.line) + 1,
      tooLong('nom de structure', fiche.structureName.length, STRUCTURE_NAME_MAX),
    );
  }
  for (const spec of FIELDS) {
    if (spec.kind !== 'text') continue;
    const value = fiche[spec.key];
    const max = spec.key === 'initiativeDetail' ? DETAIL_MAX : TEXT_MAX;
    if (value && value.length > max) {
      problem((fiche.labelLines[spec.key] ?? fiche.line) + 1, tooLong(`texte ${quote(spec.label)}`, value.length, max));
    }
  }
}

function isOptional(spec: FieldSpec): boolean {
  return 'optional' in spec && spec.optional === true;
}

function emptyFiche(line: number, title: string): DumpFiche {
  return {
    line,
    title,
    structureName: '',
    departementName: '',
    attachments: null,
    status: null,
    endReason: undefined,
    dimension: null,
    keywords: [],
    summary: null,
    initiatives: [],
    initiativeDetail: undefined,
    territory: null,
    experience: null,
    publics: [],
    partners: [],
    partnersTerritory: null,
    generalDescription: null,
    financialResources: null,
    peopleMobilised: null,
    resultTerritory: null,
    resultCentre: null,
    resultInhabitants: null,
    limits: null,
    perspectives: null,
    labelLines: {},
  };
}
