/** The shortest and longest title, wherever a fiche is written (editor, import). */
export const TITLE_MIN = 3;
export const TITLE_MAX = 200;
/** The longest a free text may be: the longest seed text is under 6 000 characters. */
export const TEXT_MAX = 20_000;
export const DETAIL_MAX = 500;
/** The longest name of a structure. */
export const STRUCTURE_NAME_MAX = 300;

/** A partner of an action with its role: it took part in the action, or it funded it. */
export interface PartnerLink {
  code: string;
  role: 'action' | 'financial';
}

/** The free-text fields that every representation of a fiche carries as is. */
export const FREE_TEXT_FIELDS = [
  'summary',
  'experience',
  'generalDescription',
  'financialResources',
  'peopleMobilised',
  'resultTerritory',
  'resultCentre',
  'resultInhabitants',
  'limits',
  'perspectives',
] as const;

/** Free text kept exactly as written, line breaks included; null when the field is empty. */
export type FreeText = Record<(typeof FREE_TEXT_FIELDS)[number], string | null>;

/** Copies the free-text fields of a fiche, whatever its representation. */
export function pickFreeText(source: FreeText): FreeText {
  return Object.fromEntries(FREE_TEXT_FIELDS.map((key) => [key, source[key]])) as FreeText;
}

/**
 * What a fiche says, with vocabulary values as codes, in the source's field order.
 * Free text is kept exactly as written (line breaks included); null when empty.
 */
export interface FicheContent extends FreeText {
  title: string;
  /** Attachment names listed by a legacy dump, whose files were not part of it. */
  legacyAttachmentNames: string[];
  hasAttachmentsLine: boolean;
  status: string | null;
  endReason: string | null;
  dimension: string | null;
  keywords: string[];
  initiatives: string[];
  initiativeDetail: string | null;
  territory: string | null;
  publics: string[];
  partners: PartnerLink[];
  partnersTerritory: string | null;
}

/** A stored attachment's metadata. */
export interface AttachmentInfo {
  id: number;
  fileName: string;
  mediaType: string | null;
  sizeBytes: number | null;
  /** False for a name listed in a legacy dump whose file was never received. */
  available: boolean;
}

/** Whether a fiche is public. */
import type { Publication } from '../db/database.js';

export type { Publication };

/** A fiche as stored, with its structure. */
export interface StoredFiche extends FicheContent {
  id: number;
  structure: { id: number; name: string; kind: 'centre_social' | 'evs' | null; departementCode: string };
  attachments: AttachmentInfo[];
  /** Public ('published'), never approved yet ('draft') or withdrawn ('archived'). */
  publication: Publication;
  createdAt: Date;
  updatedAt: Date;
  /** Null for a fiche never published here (an imported one: its source gives no date). */
  publishedAt: Date | null;
  importedAt: Date | null;
}

const CONTENT_KEYS: ReadonlyArray<keyof FicheContent> = [
  'title',
  'legacyAttachmentNames',
  'hasAttachmentsLine',
  'status',
  'endReason',
  'dimension',
  'keywords',
  'initiatives',
  'initiativeDetail',
  'territory',
  'publics',
  'partners',
  'partnersTerritory',
  ...FREE_TEXT_FIELDS,
];

/** Only what a fiche says, without what storage adds (id, structure, dates): what a revision keeps. */
export function pickContent(fiche: FicheContent): FicheContent {
  return Object.fromEntries(CONTENT_KEYS.map((key) => [key, fiche[key]])) as unknown as FicheContent;
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
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[key] = { before: a, after: b };
  }
  return changes;
}

/** Guesses the kind of structure from its name, when the name says it. */
export function inferStructureKind(name: string): 'centre_social' | 'evs' | null {
  const folded = name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  if (/espace de vie sociale?\b|\bevs\b/.test(folded)) return 'evs';
  if (/centre socia|centre socio/.test(folded)) return 'centre_social';
  return null;
}
