// The observatory's plain-text export: its fixed lines and the closed, ordered list of field labels.

export const HEADER = 'Les actions des centres sociaux';
export const FICHE_START = 'Actions';
/** The lone "-" that opens some lists in the source. */
export const LIST_OPENER = '-';
export const ACTION_PARTNERS_HEADING = "Partenaires d'action:";
export const FINANCIAL_PARTNERS_HEADING = 'Partenaires financiers:';

import type { FicheContent } from '../actions/fiche.js';
import { CONTENT_FIELDS, FIELD_LIST, type FieldDef } from '../actions/fields.js';

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

/** A field of the dump (its keys are the closed list of the source's fields). */
export type FieldKey = TextKey | SingleKey | ListKey | 'partners';

/** The free texts a dump always writes, even empty. */
type PlainTextKey = Exclude<TextKey, 'endReason' | 'initiativeDetail'>;

/** The fiche's fields as a dump carries them, in the source's order. */
export interface DumpFiche extends Record<PlainTextKey, string | null> {
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

/** How a field's lines are read. */
export type FieldSpec =
  | { key: TextKey; label: string; kind: 'text'; optional?: boolean }
  | { key: SingleKey; label: string; kind: 'single' }
  | { key: ListKey; label: string; kind: 'list'; opener?: boolean; optional?: boolean }
  | { key: 'partners'; label: string; kind: 'partners' };

const DUMP_KIND = {
  text: 'text',
  line: 'text',
  structure: 'single',
  term: 'single',
  attachments: 'list',
  terms: 'list',
  partners: 'partners',
} as const;

/** The fields of the registry that the source has, in its order; only these exact labels start a field. */
export const FIELDS: readonly FieldSpec[] = FIELD_LIST.flatMap((def: FieldDef) =>
  def.dump
    ? [
        {
          key: def.key,
          label: def.dump.label,
          kind: DUMP_KIND[def.kind as keyof typeof DUMP_KIND],
          optional: def.dump.optional,
          opener: def.dump.opener,
        } as FieldSpec,
      ]
    : [],
);

/** The free texts every dump's fiche has a line for, in the source's order. */
export const PLAIN_TEXT_KEYS = FIELDS.filter((f) => f.kind === 'text' && !f.optional).map(
  (f) => f.key,
) as PlainTextKey[];

/** The line that starts a field. */
export function labelLine(spec: FieldSpec): string {
  return `- ${spec.label}`;
}

const LABEL_LINES = new Set(FIELDS.map(labelLine));

/** True for a line that is exactly one of the field labels. */
export function isLabelLine(line: string): boolean {
  return LABEL_LINES.has(line);
}

// The fiche's fields that the source does not have: entered on the site, an import keeps them.
const OUTSIDE_DUMP = CONTENT_FIELDS.filter((f) => !f.dump && f.kind !== 'attachments').map(
  (f) => f.key as keyof FicheContent,
);

/** `imported` with the stored fiche's values of the fields the dump does not carry. */
export function withFieldsOutsideDump(stored: FicheContent, imported: FicheContent): FicheContent {
  return { ...imported, ...Object.fromEntries(OUTSIDE_DUMP.map((key) => [key, stored[key]])) };
}
