// The observatory's plain-text export: its fixed lines and the closed, ordered list of field labels.

export const HEADER = 'Les actions des centres sociaux';
export const FICHE_START = 'Actions';
/** The lone "-" that opens some lists in the source. */
export const LIST_OPENER = '-';
export const ACTION_PARTNERS_HEADING = "Partenaires d'action:";
export const FINANCIAL_PARTNERS_HEADING = 'Partenaires financiers:';

import type { FreeText } from '../actions/fiche.js';

/** The fiche's fields as a dump carries them, in the source's order. */
export interface DumpFiche extends FreeText {
  /** Line of the fiche's "Actions" line, for messages (0 for a fiche built in memory). */
  line: number;
  title: string;
  structureName: string;
  departementName: string;
  /** null when the "Fichier(s) associé(s)" line is absent. */
  attachments: string[] | null;
  status: string | null;
  /** Free text: null when the field has no line. undefined when its label is absent. */
  endReason: string | null | undefined;
  dimension: string | null;
  keywords: string[];
  initiatives: string[];
  initiativeDetail: string | null | undefined;
  territory: string | null;
  publics: string[];
  partners: Array<{ role: 'action' | 'financial'; name: string }>;
  partnersTerritory: string | null;
  /** Line of each field's label, for messages. */
  labelLines: Partial<Record<FieldKey, number>>;
}

type TextKey =
  | 'endReason'
  | 'summary'
  | 'initiativeDetail'
  | 'experience'
  | 'generalDescription'
  | 'financialResources'
  | 'peopleMobilised'
  | 'resultTerritory'
  | 'resultCentre'
  | 'resultInhabitants'
  | 'limits'
  | 'perspectives';
type SingleKey = 'structure' | 'status' | 'dimension' | 'territory' | 'partnersTerritory';
type ListKey = 'attachments' | 'keywords' | 'initiatives' | 'publics';

export type FieldKey = TextKey | SingleKey | ListKey | 'partners';

/** How a field's lines are read. */
export type FieldSpec =
  | { key: TextKey; label: string; kind: 'text'; optional?: boolean }
  | { key: SingleKey; label: string; kind: 'single' }
  | { key: ListKey; label: string; kind: 'list'; opener?: boolean; optional?: boolean }
  | { key: 'partners'; label: string; kind: 'partners' };

/** The fields in the source's order; only these exact labels start a field. */
export const FIELDS: readonly FieldSpec[] = [
  { key: 'structure', label: 'Structure organisatrice', kind: 'single' },
  { key: 'attachments', label: 'Fichier(s) associé(s)', kind: 'list', optional: true },
  { key: 'status', label: "Statut de l'action", kind: 'single' },
  { key: 'endReason', label: "Raisons pour lesquelles l'action est terminée", kind: 'text', optional: true },
  { key: 'dimension', label: 'Dimension', kind: 'single' },
  { key: 'keywords', label: "Mots clés associés à l'action", kind: 'list', opener: true },
  { key: 'summary', label: 'Résumé', kind: 'text' },
  { key: 'initiatives', label: "Qui est à l'initiative de l'action ?", kind: 'list', opener: true },
  { key: 'initiativeDetail', label: 'Précision ( si autre )', kind: 'text', optional: true },
  { key: 'territory', label: 'Territoire concerné', kind: 'single' },
  {
    key: 'experience',
    label: "Description de l'expérience, ses objectifs, ses acteurs et ses différentes phases.",
    kind: 'text',
  },
  { key: 'publics', label: 'Public', kind: 'list' },
  { key: 'partners', label: 'Avec qui cette action a-t-elle été menée ?', kind: 'partners' },
  { key: 'partnersTerritory', label: 'Territoire concerné', kind: 'single' },
  { key: 'generalDescription', label: 'Description générale', kind: 'text' },
  { key: 'financialResources', label: 'Ressources financières mobilisées pour cette action', kind: 'text' },
  { key: 'peopleMobilised', label: 'Nombre de personnes mobilisés pour cette action', kind: 'text' },
  { key: 'resultTerritory', label: 'Résultat sur le territoire', kind: 'text' },
  { key: 'resultCentre', label: 'Résultat pour le centre social', kind: 'text' },
  { key: 'resultInhabitants', label: 'Résultat pour les habitants', kind: 'text' },
  { key: 'limits', label: "Suite de l'action : Limites", kind: 'text' },
  { key: 'perspectives', label: "Suite de l'action : Perspectives", kind: 'text' },
];

/** The line that starts a field. */
export function labelLine(spec: FieldSpec): string {
  return `- ${spec.label}`;
}

const LABEL_LINES = new Set(FIELDS.map(labelLine));

/** True for a line that is exactly one of the field labels. */
export function isLabelLine(line: string): boolean {
  return LABEL_LINES.has(line);
}
