import { getFiche } from '../actions/actions.service.js';
import { emptyContent, type FicheContent, pickContent, type StoredFiche } from '../actions/fiche.js';
import type { SessionUser } from '../authorization/authorization.js';
import { quote } from '../core/typography.js';
import type { Db } from '../db/database.js';
import { createFiche, titleTaken } from './publishing.service.js';
import { gone } from './workflow.js';

/** A published fiche that a contributor may take up, or 404. */
export async function inspirationSource(db: Db, sourceId: number): Promise<StoredFiche> {
  const source = await getFiche(db, sourceId);
  if (!source) throw gone();
  return source;
}

/**
 * What a draft written from another centre's fiche starts with: its texts and vocabularies, not
 * its files, nor where it stands and when it started (the new centre's action has not begun),
 * nor its budget unless asked: the figures are the other centre's.
 */
export function inspiredContent(source: StoredFiche, withBudget: boolean): FicheContent {
  const empty = emptyContent();
  return {
    ...pickContent(source),
    legacyAttachmentNames: [],
    hasAttachmentsLine: empty.hasAttachmentsLine,
    status: null,
    endReason: null,
    startDate: null,
    financialResources: withBudget ? source.financialResources : null,
  };
}

/**
 * « S'inspirer de cette fiche »: a new draft of one of the user's structures, written from a
 * published fiche, which it names for good (`inspired_by_id`); the history says where it
 * comes from. Returns the draft's id.
 */
export async function inspireFrom(
  db: Db,
  user: SessionUser,
  sourceId: number,
  structureId: number,
  withBudget: boolean,
): Promise<number> {
  const source = await inspirationSource(db, sourceId);
  const content = inspiredContent(source, withBudget);
  // A second reprise in the same structure gets a title of its own, which its author will change.
  for (let n = 1; await titleTaken(db, structureId, content.title); n++) {
    content.title = `${source.title} (reprise${n > 1 ? ` ${n}` : ''})`;
  }
  return createFiche(db, user, structureId, content, {
    sourceId: source.id,
    comment: `Inspirée de la fiche ${quote(source.title)} (${source.structure.name}).`,
  });
}
