import type { FicheContent } from '../actions/fiche.js';
import { CONTENT_FIELDS, type FieldDef } from '../actions/fields.js';

/** A part of the editor form: its anchor, its heading and the fields it holds, in order. */
export interface EditorSection {
  id: string;
  title: string;
  keys: string[];
}

/**
 * The editor's five parts, in the order an animateur tells an action: what it is, for whom and
 * with whom, how it went, what it cost, what came of it. Every field of the fiche is in one.
 */
export const EDITOR_SECTIONS: EditorSection[] = [
  {
    id: 'section-action',
    title: 'L’action',
    keys: [
      'title',
      'status',
      'endReason',
      'startDate',
      'dimension',
      'keywords',
      'summary',
      'initiatives',
      'initiativeDetail',
      'territory',
    ],
  },
  { id: 'section-public', title: 'Le public et les partenaires', keys: ['publics', 'partners', 'partnersTerritory'] },
  { id: 'section-deroulement', title: 'Le déroulement', keys: ['experience', 'generalDescription', 'peopleMobilised'] },
  { id: 'section-budget', title: 'Budget', keys: ['financialResources'] },
  {
    id: 'section-resultats',
    title: 'Résultats et suites',
    keys: ['resultTerritory', 'resultCentre', 'resultInhabitants', 'limits', 'perspectives'],
  },
];

const byKey = new Map(CONTENT_FIELDS.map((def) => [def.key, def]));

/** The field definitions of a section, in its order. */
export function sectionFields(section: EditorSection): FieldDef[] {
  return section.keys.map((key) => byKey.get(key)).filter((def): def is FieldDef => def !== undefined);
}

function filled(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return typeof value === 'string' ? value.trim() !== '' : value !== null && value !== undefined;
}

/**
 * How much of a section is written: its fields that hold something, out of those that apply
 * (« Raisons… » only once the action is Terminée, « Précision » only with « Autre »).
 */
export function sectionProgress(section: EditorSection, content: FicheContent): { filled: number; total: number } {
  const values = content as unknown as Record<string, unknown>;
  const applies = (def: FieldDef) => {
    if (!def.showIf) return true;
    const shown = values[def.showIf.field];
    return (
      (Array.isArray(shown) ? shown.includes(def.showIf.value) : shown === def.showIf.value) || filled(values[def.key])
    );
  };
  const fields = sectionFields(section).filter(applies);
  return { filled: fields.filter((def) => filled(values[def.key])).length, total: fields.length };
}

/** « 3 champs remplis sur 5 », as the table of contents says it. */
export function progressText(progress: { filled: number; total: number }): string {
  const plural = progress.filled > 1 ? 's' : '';
  return `${progress.filled} champ${plural} rempli${plural} sur ${progress.total}`;
}
