import type { Freshness, Publication } from '../db/database.js';
import { CONTENT_FIELDS, emptyValue, type FieldValues } from './fields.js';
import type { ContactColumns } from './structure-contact.js';

export { DETAIL_MAX, type PartnerLink, TEXT_MAX, TITLE_MAX, TITLE_MIN } from './fields.js';
export type { Publication };

/** The longest name of a structure. */
export const STRUCTURE_NAME_MAX = 300;

/**
 * What a fiche says, with vocabulary values as codes: every field of `fields.ts`, and what a
 * legacy dump said of its files. Free text is kept exactly as written (line breaks included);
 * null when empty.
 */
export type FicheContent = FieldValues & {
  /** Attachment names listed by a legacy dump, whose files were not part of it. */
  legacyAttachmentNames: string[];
  hasAttachmentsLine: boolean;
};

/** A stored attachment's metadata. */
export interface AttachmentInfo {
  id: number;
  fileName: string;
  mediaType: string | null;
  sizeBytes: number | null;
  /** False for a name listed in a legacy dump whose file was never received. */
  available: boolean;
}

/** A fiche as stored, with its structure. */
export type StoredFiche = FicheContent & {
  id: number;
  structure: {
    id: number;
    name: string;
    kind: 'centre_social' | 'evs' | null;
    departementCode: string;
    /** Its public contact details, when the fiche was loaded with them. */
    contact?: ContactColumns;
  };
  attachments: AttachmentInfo[];
  /** Public ('published'), never approved yet ('draft') or withdrawn ('archived'). */
  publication: Publication;
  createdAt: Date;
  updatedAt: Date;
  /** Null for a fiche never published here (an imported one: its source gives no date). */
  publishedAt: Date | null;
  importedAt: Date | null;
  /** When an editor last confirmed it « Toujours d’actualité » (src/freshness). */
  checkedAt: Date | null;
  freshness: Freshness;
  /** The published fiche it was written from, and the published fiches written from it. */
  lineage?: Lineage;
};

/** A fiche another one links to: enough to name it and lead to it. */
export interface LinkedFiche {
  id: number;
  title: string;
  structureName: string;
}

/** Where a fiche comes from and who took it up, among published fiches. */
export interface Lineage {
  inspiredBy: LinkedFiche | null;
  inspired: LinkedFiche[];
}

// The title first, as the history has always listed it.
const CONTENT_KEYS = [
  'title',
  'legacyAttachmentNames',
  'hasAttachmentsLine',
  ...CONTENT_FIELDS.map((f) => f.key).filter((key) => key !== 'title'),
] as Array<keyof FicheContent>;

/** A fiche with nothing filled in: the new fiche form, and what an import starts from. */
export function emptyContent(): FicheContent {
  return {
    legacyAttachmentNames: [],
    hasAttachmentsLine: true,
    ...Object.fromEntries(CONTENT_FIELDS.map((f) => [f.key, emptyValue(f)])),
  } as unknown as FicheContent;
}

/**
 * Only what a fiche says, without what storage adds (id, structure, dates): what a revision
 * keeps. A field that an older revision did not have yet comes back empty.
 */
export function pickContent(fiche: Partial<FicheContent>): FicheContent {
  const empty = emptyContent() as Record<string, unknown>;
  const source = fiche as Record<string, unknown>;
  return Object.fromEntries(CONTENT_KEYS.map((key) => [key, source[key] ?? empty[key]])) as FicheContent;
}

/** The fields that differ between two versions of a fiche, as history records them. */
export function diffContent(
  before: FicheContent | null,
  after: FicheContent,
): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of CONTENT_KEYS) {
    const a = before ? before[key] : null;
    const b = after[key];
    if (!sameValue(a, b)) changes[key] = { before: a, after: b };
  }
  return changes;
}

// Texts and codes compare as they are; only lists and objects by their JSON. An import of
// 100 000 fiches wrote every text of each new fiche out as JSON here only to compare it.
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Guesses the kind of structure from its name, when the name says it. */
export function inferStructureKind(name: string): 'centre_social' | 'evs' | null {
  const folded = name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  if (/espace de vie sociale?\b|\bevs\b/.test(folded)) return 'evs';
  if (/centre socia|centre socio/.test(folded)) return 'centre_social';
  return null;
}
