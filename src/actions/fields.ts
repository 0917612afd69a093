import type { VocabularyTableName } from '../db/database.js';

/** The shortest and longest title, wherever a fiche is written (editor, import). */
export const TITLE_MIN = 3;
export const TITLE_MAX = 200;
/** The longest a free text may be: the longest seed text is under 6 000 characters. */
export const TEXT_MAX = 20_000;
export const DETAIL_MAX = 500;

/** How the search weighs a field's words, from A (the title) to D (the context). */
export type SearchWeight = 'A' | 'B' | 'C' | 'D';

/**
 * One field of the fiche, and everything every part of the product needs to know of it.
 * - `label`: the heading of the page and the PDF, the editor's label; `short` (default `label`)
 *   names it in the history, in messages and, unless `sheet.header` says otherwise, in exports.
 * - `dump`: its label in the observatory's export, in the source's order; absent for a field
 *   the source does not have, which then stays out of the dump.
 * - `column`: its column in `actions`; `links`: its link table, for several values.
 * - `json`: its key in the public JSON (`group.key` nests it), default `key`.
 * - `search`: how the search document (migration 0011's `action_search_texts`) weighs its words;
 *   `snippet`: its rank among the texts a result's snippet may come from.
 * - `showIf`: the editor shows it only for this value of another field; `clears` drops its value
 *   otherwise.
 */
export interface FieldDef {
  key: string;
  kind: 'title' | 'structure' | 'attachments' | 'text' | 'line' | 'term' | 'terms' | 'partners' | 'month';
  label: string;
  short?: string;
  help?: string;
  dump?: { label: string; optional?: boolean; opener?: boolean };
  column?: string;
  links?: { table: string; column: string };
  vocabulary?: VocabularyTableName;
  /** The search parameter of its values, for the page's links to the results. */
  filter?: string;
  /** The error when it is left empty; absent for a field that may be. */
  required?: string;
  max?: number;
  rows?: number;
  json?: string;
  sheet?: { header?: string; width?: number };
  search?: SearchWeight;
  snippet?: number;
  showIf?: { field: string; value: string; clears: boolean };
  /** The budget is read from this text: its figures come before it on the page and after it in exports. */
  readsBudget?: boolean;
}

/** The fiche's fields in the source's order. */
// biome-ignore format: one field a line, so that the table reads as one.
export const FIELDS = [
  { key: 'title', kind: 'title', label: 'Titre de l’action', short: 'Titre', column: 'title', max: TITLE_MAX, sheet: { header: 'Titre', width: 40 }, search: 'A' },
  { key: 'structure', kind: 'structure', label: 'Structure organisatrice', dump: { label: 'Structure organisatrice' }, sheet: { width: 30 }, search: 'D' },
  { key: 'attachments', kind: 'attachments', label: 'Fichier(s) associé(s)', short: 'Fichiers associés', dump: { label: 'Fichier(s) associé(s)', optional: true }, sheet: { header: 'Fichier(s) associé(s)' } },
  { key: 'status', kind: 'term', vocabulary: 'statuses', label: 'Statut de l’action', dump: { label: "Statut de l'action" }, column: 'status_code', sheet: { width: 12 } },
  { key: 'endReason', kind: 'text', label: 'Raisons pour lesquelles l’action est terminée', short: 'Raisons de la fin de l’action', help: 'À remplir si l’action est terminée : ce qui l’a arrêtée.', rows: 3, dump: { label: "Raisons pour lesquelles l'action est terminée", optional: true }, column: 'end_reason', max: TEXT_MAX, showIf: { field: 'status', value: 'terminee', clears: true }, sheet: { header: 'Raisons pour lesquelles l’action est terminée' }, search: 'C', snippet: 11 },
  { key: 'startDate', kind: 'month', label: 'Date de début de l’action', short: 'Date de début', help: 'Le mois et l’année où l’action a commencé, par exemple 09/2024.', column: 'start_month', json: 'startDate', sheet: { header: 'Date de début', width: 12 } },
  { key: 'dimension', kind: 'term', vocabulary: 'dimensions', label: 'Dimension', help: 'La dimension du projet social que l’action sert d’abord.', required: 'Choisissez la dimension de l’action.', dump: { label: 'Dimension' }, column: 'dimension_code', sheet: { width: 18 } },
  { key: 'keywords', kind: 'terms', vocabulary: 'keywords', links: { table: 'action_keywords', column: 'keyword_code' }, filter: 'keyword', label: 'Mots clés associés à l’action', short: 'Mots clés', help: 'Ce qui aidera à trouver la fiche : cochez-en deux ou trois.', dump: { label: "Mots clés associés à l'action", opener: true }, sheet: { width: 30 }, search: 'C' },
  { key: 'summary', kind: 'text', label: 'Résumé', help: 'En quelques lignes : ce que l’action propose, à qui et pourquoi. C’est ce qu’on lit dans les résultats de recherche.', rows: 4, dump: { label: 'Résumé' }, column: 'summary', max: TEXT_MAX, sheet: { width: 60 }, search: 'B', snippet: 0 },
  { key: 'initiatives', kind: 'terms', vocabulary: 'initiatives', links: { table: 'action_initiatives', column: 'initiative_code' }, label: 'Qui est à l’initiative de l’action ?', short: 'À l’initiative de l’action', dump: { label: "Qui est à l'initiative de l'action ?", opener: true }, sheet: { header: 'À l’initiative de', width: 24 } },
  // The precision only means something for "Autre"; kept when the editor wrote one anyway.
  { key: 'initiativeDetail', kind: 'line', label: 'Précision (si autre)', help: 'Si vous avez coché « Autre » : qui ?', dump: { label: 'Précision ( si autre )', optional: true }, column: 'initiative_detail', max: DETAIL_MAX, showIf: { field: 'initiatives', value: 'autre', clears: false }, sheet: {}, search: 'C', snippet: 12 },
  { key: 'territory', kind: 'term', vocabulary: 'territories', label: 'Territoire concerné', dump: { label: 'Territoire concerné' }, column: 'territory_code', sheet: { width: 18 } },
  { key: 'experience', kind: 'text', label: 'Description de l’expérience, ses objectifs, ses acteurs et ses différentes phases', short: 'Description de l’expérience', rows: 10, dump: { label: "Description de l'expérience, ses objectifs, ses acteurs et ses différentes phases." }, column: 'experience', max: TEXT_MAX, sheet: { width: 60 }, search: 'C', snippet: 1 },
  { key: 'publics', kind: 'terms', vocabulary: 'publics', links: { table: 'action_publics', column: 'public_code' }, filter: 'public', label: 'Public', dump: { label: 'Public' }, sheet: { width: 24 }, search: 'C' },
  { key: 'partners', kind: 'partners', vocabulary: 'partners', links: { table: 'action_partners', column: 'partner_code' }, filter: 'partner', label: 'Avec qui cette action a-t-elle été menée ?', short: 'Partenaires', dump: { label: 'Avec qui cette action a-t-elle été menée ?' }, sheet: { width: 24 }, search: 'D' },
  { key: 'partnersTerritory', kind: 'term', vocabulary: 'territories', label: 'Territoire concerné par le partenariat', short: 'Territoire des partenaires', dump: { label: 'Territoire concerné' }, column: 'partners_territory_code', sheet: { header: 'Territoire du partenariat', width: 18 } },
  { key: 'generalDescription', kind: 'text', label: 'Description générale', rows: 8, dump: { label: 'Description générale' }, column: 'general_description', max: TEXT_MAX, sheet: { width: 60 }, search: 'C', snippet: 2 },
  { key: 'financialResources', kind: 'text', label: 'Ressources financières mobilisées pour cette action', short: 'Ressources financières', help: 'Le budget : total des charges, total des produits, financeurs et montants.', dump: { label: 'Ressources financières mobilisées pour cette action' }, column: 'financial_resources', max: TEXT_MAX, sheet: { header: 'Ressources financières mobilisées', width: 60 }, search: 'C', snippet: 8, readsBudget: true },
  { key: 'peopleMobilised', kind: 'text', label: 'Nombre de personnes mobilisées pour cette action', short: 'Personnes mobilisées', help: 'Salariés, bénévoles, partenaires, habitants : combien, et qui.', rows: 3, dump: { label: 'Nombre de personnes mobilisés pour cette action' }, column: 'people_mobilised', max: TEXT_MAX, sheet: { header: 'Nombre de personnes mobilisées', width: 30 }, search: 'C', snippet: 9 },
  { key: 'resultTerritory', kind: 'text', label: 'Résultat sur le territoire', dump: { label: 'Résultat sur le territoire' }, column: 'result_territory', max: TEXT_MAX, json: 'results.territory', sheet: { width: 40 }, search: 'C', snippet: 3 },
  { key: 'resultCentre', kind: 'text', label: 'Résultat pour le centre social', dump: { label: 'Résultat pour le centre social' }, column: 'result_centre', max: TEXT_MAX, json: 'results.socialCentre', sheet: { width: 40 }, search: 'C', snippet: 4 },
  { key: 'resultInhabitants', kind: 'text', label: 'Résultat pour les habitants', dump: { label: 'Résultat pour les habitants' }, column: 'result_inhabitants', max: TEXT_MAX, json: 'results.inhabitants', sheet: { width: 40 }, search: 'C', snippet: 5 },
  { key: 'limits', kind: 'text', label: 'Suite de l’action : limites', short: 'Limites', dump: { label: "Suite de l'action : Limites" }, column: 'limits', max: TEXT_MAX, json: 'followUp.limits', sheet: { width: 40 }, search: 'C', snippet: 6 },
  { key: 'perspectives', kind: 'text', label: 'Suite de l’action : perspectives', short: 'Perspectives', dump: { label: "Suite de l'action : Perspectives" }, column: 'perspectives', max: TEXT_MAX, json: 'followUp.perspectives', sheet: { width: 40 }, search: 'C', snippet: 7 },
] as const satisfies readonly FieldDef[];

type Def = (typeof FIELDS)[number];

/** A partner of an action with its role: it took part in the action, or it funded it. */
export interface PartnerLink {
  code: string;
  role: 'action' | 'financial';
}

/** A vocabulary value as the API and exports show it. */
export interface TermJson {
  code: string;
  label: string;
}

interface ValueOfKind {
  title: string;
  text: string | null;
  line: string | null;
  month: string | null;
  term: string | null;
  terms: string[];
  partners: PartnerLink[];
}
interface JsonOfKind {
  title: string;
  text: string | null;
  line: string | null;
  month: string | null;
  term: TermJson | null;
  terms: TermJson[];
  partners: Array<TermJson & { role: PartnerLink['role'] }>;
}

/** The fields a fiche's content holds (the structure and the files are stored apart). */
type ContentDef = Extract<Def, { kind: keyof ValueOfKind }>;
/** The key of a field of the content. */
export type FieldKey = ContentDef['key'];
/** Every field of the content, with its value. */
export type FieldValues = { [D in ContentDef as D['key']]: ValueOfKind[D['kind']] };

type JsonPath<D> = D extends { json: infer P extends string }
  ? P
  : D extends { key: infer K extends string }
    ? K
    : never;
type GroupOf<D> = D extends unknown ? (JsonPath<D> extends `${infer G}.${string}` ? G : never) : never;
/** The content's fields as the public JSON gives them, grouped where `json` says so. */
export type FieldsJson = {
  [D in ContentDef as JsonPath<D> extends `${string}.${string}` ? never : JsonPath<D>]: JsonOfKind[D['kind']];
} & {
  [G in GroupOf<ContentDef>]: {
    [D in ContentDef as JsonPath<D> extends `${G}.${infer K}` ? K : never]: JsonOfKind[D['kind']];
  };
};

/** The fields as plain definitions, for code that walks them without caring for their literal types. */
export const FIELD_LIST: readonly FieldDef[] = FIELDS;

/** The fields a fiche's content holds, in order. */
export const CONTENT_FIELDS: readonly FieldDef[] = FIELD_LIST.filter(
  (f) => f.kind !== 'structure' && f.kind !== 'attachments',
);

/** The field of this key. */
export function field(key: string): FieldDef | undefined {
  return FIELD_LIST.find((f) => f.key === key);
}

/** The name of a field in the history, in messages and in exports. */
export function shortLabel(def: FieldDef): string {
  return def.short ?? def.label;
}

/** The value of an empty field of this kind: null, or an empty list. */
export function emptyValue(def: FieldDef): string | null | string[] {
  return def.kind === 'terms' || def.kind === 'partners' ? [] : def.kind === 'title' ? '' : null;
}

/** A field's place in the public JSON: its group (or null) and its key there. */
export function jsonPlace(def: FieldDef): { group: string | null; key: string } {
  const [group, key] = (def.json ?? def.key).split('.');
  return key === undefined ? { group: null, key: group } : { group, key };
}

const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** A month field's value as French readers write it: « septembre 2024 ». */
export function formatMonth(value: string): string {
  const [year, month] = value.split('-');
  return `${MONTHS[Number(month) - 1] ?? month} ${year}`;
}

/**
 * A month as the editor receives it ("2024-09" from a month picker, "09/2024" or
 * « septembre 2024 » typed where the browser has no picker) in the stored form "2024-09";
 * null when it is none of these or its year is out of reach.
 */
export function parseMonth(input: string): string | null {
  const text = input.trim().toLowerCase();
  let year: number;
  let month: number;
  const iso = /^(\d{4})-(\d{1,2})$/.exec(text);
  const numeric = /^(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(text);
  const named = /^(\p{L}+)\.?\s+(\d{4})$/u.exec(text);
  if (iso) [year, month] = [Number(iso[1]), Number(iso[2])];
  else if (numeric) [year, month] = [Number(numeric[2]), Number(numeric[1])];
  else if (named) {
    const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');
    const index = MONTHS.findIndex((m) => fold(m).startsWith(fold(named[1])) && named[1].length >= 3);
    [year, month] = [Number(named[2]), index + 1];
  } else return null;
  if (month < 1 || month > 12 || year < 1900 || year > 2100) return null;
  return `${year}-${String(month).padStart(2, '0')}`;
}
