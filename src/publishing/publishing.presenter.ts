import { diffWordsWithSpace } from 'diff';
import { field, formatMonth, shortLabel } from '../actions/fields.js';
import { can, type SessionUser } from '../authorization/authorization.js';
import type { Freshness, HistoryOperation, VocabularyTableName } from '../db/database.js';
import type { ReferenceIndex } from '../vocabularies/vocabularies.service.js';
import type { Workspace } from './publishing.service.js';

/** One value of a vocabulary the editor form offers. */
interface Choice {
  code: string;
  label: string;
}

/** The vocabularies of the editor form. */
export interface FormChoices {
  statuses: Choice[];
  dimensions: Choice[];
  keywords: Choice[];
  initiatives: Choice[];
  territories: Choice[];
  publics: Choice[];
  partners: Choice[];
}

/** One line of a fiche's history, ready to show. */
export interface HistoryRow {
  at: Date;
  actor: string;
  what: string;
  comment: string | null;
  changes: FieldChange[];
}

/** One field's change: its label and both sides, word by word. */
export interface FieldChange {
  field: string;
  before: DiffSide;
  after: DiffSide;
}

/** The buttons the fiche's page offers the user, by their roles and the fiche's state. */
export interface WorkspaceActions {
  edit: boolean;
  submit: boolean;
  review: boolean;
  archive: boolean;
  restore: boolean;
  discard: 'delete' | 'abandon' | null;
}

/** Which of the fiche's buttons the user may press, from `can()` and the fiche's state. */
export function workspaceActions(user: SessionUser, w: Workspace): WorkspaceActions {
  const placement = { structureId: w.fiche.structure.id, departementCode: w.fiche.structure.departementCode };
  const writes = can(user, 'fiche:write', placement);
  const state = w.revision?.state ?? null;
  const publication = w.fiche.publication;
  return {
    edit: writes && publication !== 'archived',
    submit: writes && (state === 'draft' || state === 'changes_requested'),
    review: state === 'submitted' && can(user, 'fiche:review', placement),
    archive: publication === 'published' && can(user, 'fiche:archive', placement),
    restore: publication === 'archived' && can(user, 'fiche:archive', placement),
    discard: !writes ? null : publication === 'draft' ? 'delete' : w.revision ? 'abandon' : null,
  };
}

/** One side of a field's change, in pieces; the pieces this side alone has are marked. */
export type DiffSide = Array<{ text: string; changed: boolean }>;

// What the history shows besides the fiche's fields.
const OTHER_LABELS: Record<string, string> = {
  legacyAttachmentNames: 'Fichiers associés (liste importée)',
  publication: 'Publication',
};

/** The French label of a fiche's field, for the history and the conflict message. */
export function fieldLabel(key: string): string {
  const def = field(key);
  return def ? shortLabel(def) : (OTHER_LABELS[key] ?? key);
}

const OPERATION_LABELS: Record<HistoryOperation, string> = {
  create: 'Création',
  update: 'Mise à jour par import',
  delete: 'Suppression',
  save: 'Modification enregistrée',
  submit: 'Soumise à relecture',
  request_changes: 'Modifications demandées',
  publish: 'Publiée',
  archive: 'Archivée',
  restore: 'Restaurée',
  remind: 'Rappel d’actualité envoyé',
  confirm: 'Confirmée «\u00a0Toujours d’actualité\u00a0»',
  flag_stale: 'Signalée «\u00a0À vérifier\u00a0»\u00a0: rappel sans réponse',
};

const PUBLICATION_LABELS: Record<string, string> = { draft: 'non publiée', published: 'publiée', archived: 'archivée' };

function showValue(key: string, value: unknown, ref: ReferenceIndex): string {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return '—';
  const label = (table: VocabularyTableName, code: string) => ref.terms[table].get(code)?.label ?? code;
  const def = field(key);
  if (def?.kind === 'partners') {
    return (value as Array<{ code: string; role: string }>)
      .map((p) => `${label('partners', p.code)} (${p.role === 'financial' ? 'financier' : 'action'})`)
      .join(', ');
  }
  if (key === 'publication') return PUBLICATION_LABELS[String(value)] ?? String(value);
  if (def?.kind === 'month') return formatMonth(String(value));
  const table = def?.vocabulary;
  if (table)
    return [value]
      .flat()
      .map((code) => label(table, String(code)))
      .join(', ');
  return Array.isArray(value) ? value.join(', ') : String(value);
}

// Beyond this many changed words a word diff says nothing a reader could use: both sides are shown whole.
const MAX_EDIT_LENGTH = 2_000;

/** Both sides of a change, split into words so that what changed stands out; whole when nothing is shared. */
export function diffSides(before: string, after: string): { before: DiffSide; after: DiffSide } {
  const whole = { before: [{ text: before, changed: false }], after: [{ text: after, changed: false }] };
  if (before === '—' || after === '—') return whole;
  const parts = diffWordsWithSpace(before, after, { maxEditLength: MAX_EDIT_LENGTH });
  if (!parts?.some((p) => !p.added && !p.removed && p.value.trim() !== '')) return whole;
  return {
    before: parts.filter((p) => !p.added).map((p) => ({ text: p.value, changed: p.removed })),
    after: parts.filter((p) => !p.removed).map((p) => ({ text: p.value, changed: p.added })),
  };
}

/** History rows as the history page shows them, newest first, internal fields left out. */
export function presentHistory(
  rows: Array<{
    at: Date;
    actor: string;
    operation: HistoryOperation;
    comment: string | null;
    changes: Record<string, { before: unknown; after: unknown }>;
  }>,
  ref: ReferenceIndex,
): HistoryRow[] {
  return [...rows].reverse().map((r) => ({
    at: r.at,
    actor: r.actor,
    what: OPERATION_LABELS[r.operation] ?? r.operation,
    comment: r.comment,
    changes: presentChanges(r.changes, ref),
  }));
}

/** Fields' changes as a reader compares them: labelled, word by word, internal fields left out. */
export function presentChanges(
  changes: Record<string, { before: unknown; after: unknown }>,
  ref: ReferenceIndex,
): FieldChange[] {
  return (
    Object.entries(changes)
      .filter(([field]) => field !== 'hasAttachmentsLine')
      .map(([field, { before, after }]) => [field, showValue(field, before, ref), showValue(field, after, ref)])
      // An empty list replacing nothing is no change a reader would see.
      .filter(([, before, after]) => before !== after)
      .map(([field, before, after]) => ({ field: fieldLabel(field), ...diffSides(before, after) }))
  );
}

/** The vocabularies offered by the editor form, in their order. */
export function presentFormChoices(ref: ReferenceIndex): FormChoices {
  const list = (table: VocabularyTableName) =>
    [...ref.terms[table].values()]
      .sort((a, b) => a.sort_order - b.sort_order || a.label.localeCompare(b.label, 'fr'))
      .map((t) => ({ code: t.code, label: t.label }));
  return {
    statuses: list('statuses'),
    dimensions: list('dimensions'),
    keywords: list('keywords'),
    initiatives: list('initiatives'),
    territories: list('territories'),
    publics: list('publics'),
    partners: list('partners'),
  };
}

const dateFormat = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});

/** A date and time as French readers write it. */
export function formatDate(date: Date): string {
  return dateFormat.format(date);
}

/** A fiche's state in the workflow, as its editors and reviewers read it. */
export function stateLabel(publication: string, revisionState: string | null, freshness?: Freshness): string {
  const work =
    revisionState === 'submitted'
      ? 'en attente de relecture'
      : revisionState === 'changes_requested'
        ? 'modifications demandées'
        : revisionState === 'draft'
          ? 'brouillon'
          : null;
  if (publication === 'archived') return 'Archivée';
  if (publication === 'draft') return work ? work.charAt(0).toUpperCase() + work.slice(1) : 'Brouillon';
  const published = work ? `Publiée · modification ${work === 'brouillon' ? 'en cours' : work}` : 'Publiée';
  // What its editors are asked to do: confirm it after the reminder, before it shows « À vérifier ».
  if (freshness === 'stale') return `${published} · à vérifier`;
  return freshness === 'old' ? `${published} · à confirmer` : published;
}
