import type { FicheJson } from '../actions/actions.presenter.js';
import { FIELD_LIST, type FieldDef, jsonPlace, shortLabel, type TermJson } from '../actions/fields.js';
import type { VocabularyTableName } from '../db/database.js';

/** What joins the values of a multi-valued field in one cell. */
export const LIST_SEPARATOR = ' | ';

/** What the open data's Table Schema says of a column beyond its name: text unless said. */
export interface ColumnKind {
  type?: 'integer' | 'number' | 'date' | 'yearmonth';
  format?: 'uri';
  /** A single value of this vocabulary, by its label; or several joined by LIST_SEPARATOR. */
  vocabulary?: VocabularyTableName;
  list?: boolean;
  pattern?: string;
  description?: string;
}

/** A column of the spreadsheet exports: its header, its value for a fiche, its width, its kind. */
export type Column = {
  header: string;
  value: (fiche: FicheJson, publicUrl: string) => string | number | null;
  width?: number;
  kind?: ColumnKind;
};

const list = (values: Array<{ label: string }>) => values.map((v) => v.label).join(LIST_SEPARATOR);
const partners = (fiche: FicheJson, role: 'action' | 'financial') =>
  list(fiche.partners.filter((p) => p.role === role));

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

const AMOUNT: ColumnKind = {
  type: 'number',
  description: 'Montant en euros lu dans le texte « Ressources financières mobilisées » ; vide s’il n’en donne pas.',
};

// The budget read from the resources text, in the columns after it.
const BUDGET_COLUMNS: Column[] = [
  { header: 'Budget (€)', value: (f) => f.budget.total?.amount ?? null, width: 12, kind: AMOUNT },
  { header: 'Charges (€)', value: (f) => f.budget.charges?.amount ?? null, width: 12, kind: AMOUNT },
  { header: 'Produits (€)', value: (f) => f.budget.products?.amount ?? null, width: 12, kind: AMOUNT },
  {
    header: 'Financeurs cités',
    value: (f) =>
      f.budget.funders
        .map((x) => (x.amount === null ? x.label : `${x.label} (${x.amount.toLocaleString('fr-FR')} €)`))
        .join(LIST_SEPARATOR),
    width: 30,
    kind: { list: true, description: 'Financeurs que le texte nomme, avec leur montant quand il le donne.' },
  },
  { header: 'Valorisation du bénévolat (€)', value: (f) => f.budget.volunteering, width: 12, kind: AMOUNT },
];

// The structure's public contact details; its e-mail address never leaves the database.
const contact = (f: FicheJson) => f.structure.contact;
const CONTACT_COLUMNS: Column[] = [
  { header: 'Adresse de la structure', value: (f) => contact(f)?.streetAddress ?? null, width: 24 },
  { header: 'Code postal', value: (f) => contact(f)?.postalCode ?? null, width: 8, kind: { pattern: '^[0-9]{5}$' } },
  { header: 'Commune', value: (f) => contact(f)?.commune?.name ?? null, width: 16 },
  {
    header: 'Code commune (INSEE)',
    value: (f) => contact(f)?.commune?.code ?? null,
    width: 8,
    kind: { pattern: '^[0-9][0-9AB][0-9]{3}$' },
  },
  { header: 'Téléphone', value: (f) => contact(f)?.phone ?? null, width: 14 },
  { header: 'Site web', value: (f) => contact(f)?.website ?? null, width: 24, kind: { format: 'uri' } },
  {
    header: 'Contact',
    value: (f) => [contact(f)?.role, contact(f)?.name].filter(Boolean).join(', ') || null,
    width: 18,
  },
];

const vocabularyList: ColumnKind = { vocabulary: 'partners', list: true };

/** A field's columns: one, but for the structure (with its place) and the partners (by role). */
function fieldColumns(def: FieldDef): Column[] {
  const header = def.sheet?.header ?? shortLabel(def);
  const width = def.sheet?.width;
  const { group, key } = jsonPlace(def);
  const json = (f: FicheJson) => {
    const fields = f as unknown as Record<string, Record<string, unknown>>;
    return group === null ? fields[key] : fields[group][key];
  };
  switch (def.kind) {
    case 'structure':
      return [
        { header, value: (f) => f.structure.name, width },
        {
          header: 'Code département',
          value: (f) => f.structure.department.code,
          width: 10,
          kind: { pattern: '^([0-9]{2,3}|2[AB])$', description: 'Code INSEE du département de la structure.' },
        },
        { header: 'Département', value: (f) => f.structure.department.name, width: 18 },
        { header: 'Région', value: (f) => f.structure.department.region?.name ?? null, width: 18 },
        ...CONTACT_COLUMNS,
      ];
    case 'attachments':
      return [
        {
          header,
          value: (f) => f.attachments.map((a) => a.fileName).join(LIST_SEPARATOR),
          width,
          kind: { list: true },
        },
      ];
    case 'partners':
      return [
        { header: 'Partenaires d’action', value: (f) => partners(f, 'action'), width, kind: vocabularyList },
        { header: 'Partenaires financiers', value: (f) => partners(f, 'financial'), width, kind: vocabularyList },
      ];
    case 'term':
      return [
        {
          header,
          value: (f) => (json(f) as TermJson | null)?.label ?? null,
          width,
          kind: { vocabulary: def.vocabulary },
        },
      ];
    case 'terms':
      return [
        {
          header,
          value: (f) => list(json(f) as unknown as TermJson[]),
          width,
          kind: { vocabulary: def.vocabulary, list: true },
        },
      ];
    case 'month':
      return [{ header, value: (f) => text(json(f)), width, kind: { type: 'yearmonth' } }];
    default:
      return [{ header, value: (f) => text(json(f)), width }, ...(def.readsBudget ? BUDGET_COLUMNS : [])];
  }
}

const DATE: ColumnKind = { type: 'date' };

/**
 * The columns of the spreadsheet exports (CSV and XLSX), one row per fiche: its number and
 * address, its fields in the source's order (the budget read from the resources text after
 * it), then its dates.
 */
export const SHEET_COLUMNS: Column[] = [
  {
    header: 'Identifiant',
    value: (f) => f.id,
    width: 10,
    kind: { type: 'integer', description: 'Numéro de la fiche dans Essaim.' },
  },
  { header: 'Adresse', value: (f, base) => `${base}${f.url}`, width: 30, kind: { format: 'uri' } },
  ...FIELD_LIST.flatMap(fieldColumns),
  { header: 'Date de publication', value: (f) => f.publishedAt?.slice(0, 10) ?? null, width: 12, kind: DATE },
  { header: 'Mise à jour', value: (f) => f.updatedAt?.slice(0, 10) ?? null, width: 12, kind: DATE },
];

// OWASP's advice against CSV injection: a cell that starts with "=", "+", "-", "@", a tab or a
// carriage return is run as a formula by Excel (LibreOffice only runs "="), so it gets a leading
// apostrophe. Two kinds stay as written, so that they read back exactly: a plain number ("-2",
// "+33") and a line that starts with "- " (a bullet: budgets and lists in fiches do it all the
// time). Quoting does not help here: the spreadsheet reads the cell's content, quotes removed.
const FORMULA_START = /^[=+\-@\t\r]/;
const SAFE_START = /^(?:- |[+-]?\d+(?:[.,]\d+)?$)/;

/** The cell's text, guarded when a spreadsheet would evaluate it. */
export function guardFormula(value: string): string {
  return FORMULA_START.test(value) && !SAFE_START.test(value) ? `'${value}` : value;
}

/** A fiche as one CSV row: the columns above, numbers written the French way. */
export function csvRow(fiche: FicheJson, publicUrl: string): string[] {
  return SHEET_COLUMNS.map((column) => {
    const value = column.value(fiche, publicUrl);
    if (value === null) return '';
    if (typeof value === 'number') return value.toLocaleString('fr-FR', { useGrouping: false });
    return guardFormula(value);
  });
}

/** A fiche as one spreadsheet row: typed cells, so that nothing is read as a formula. */
export function sheetRow(fiche: FicheJson, publicUrl: string): Array<string | number | null> {
  return SHEET_COLUMNS.map((column) => column.value(fiche, publicUrl));
}
