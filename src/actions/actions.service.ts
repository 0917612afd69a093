import type { Db, HistoryOperation } from '../db/database.js';
import { type HistoryEntry, insertActions, insertHistory, loadFiches, updateAction } from './actions.repository.js';
import { diffContent, type FicheContent, type Publication, type StoredFiche } from './fiche.js';

/** One whole published fiche, or undefined when no public fiche has this id. */
export async function getFiche(db: Db, id: number): Promise<StoredFiche | undefined> {
  const [fiche] = await loadFiches(db, [id]);
  return fiche?.publication === 'published' ? fiche : undefined;
}

/**
 * Who writes fiches, as the history names them, and how their search rows follow. The search
 * module sits above this one, so its indexer comes from the caller: `indexActions` for one
 * fiche, the import's batched indexer for thousands.
 */
export interface FicheWriter {
  actor: string;
  source: HistoryEntry['source'];
  userId?: number;
  /** An import writes: the fiches' import date is set, and a new fiche has no publication date. */
  imported?: boolean;
  /** Brings the budgets and search rows of these fiches up to date, in the same transaction. */
  index(tx: Db, ids: number[]): Promise<void>;
}

/** One fiche to write: a stored one replaced (`id`), or a new one in its structure. */
export type FicheWrite = ({ id: number; structureId?: never } | { id?: never; structureId: number }) & {
  content: FicheContent;
  /** What the history compares the content with: the public version replaced, null if none. */
  before: FicheContent | null;
  /** Where the fiche stands afterwards; a new fiche is public unless said, a stored one keeps its state. */
  publication?: Publication;
  operation: HistoryOperation;
  /** What the history records beside the fields' changes (a publication's files). */
  changes?: HistoryEntry['changes'];
  comment?: string;
};

/**
 * The one way a fiche is written: its row and link tables, its history, then its budget and
 * search row unless it is a new draft, all in the caller's transaction `tx`. Returns the ids, in
 * the order of `writes`.
 */
export async function writeFiches(tx: Db, writes: FicheWrite[], by: FicheWriter): Promise<number[]> {
  const fresh = writes.filter((w) => w.id === undefined);
  const freshIds = await insertActions(
    tx,
    fresh.map((w) => ({
      structureId: w.structureId as number,
      content: w.content,
      publication: w.publication,
      imported: by.imported,
    })),
  );
  const created = new Map(fresh.map((w, i) => [w, freshIds[i]]));
  const ids = writes.map((w) => w.id ?? (created.get(w) as number));
  for (const w of writes) {
    if (w.id !== undefined)
      await updateAction(tx, w.id, w.content, { imported: by.imported, publication: w.publication });
  }
  await insertHistory(
    tx,
    writes.map((w, i) => ({
      actionId: ids[i],
      actor: by.actor,
      source: by.source,
      userId: by.userId,
      operation: w.operation,
      changes: { ...diffContent(w.before, w.content), ...w.changes },
      comment: w.comment,
    })),
  );
  // A draft nobody else sees has no search row.
  const searchable = ids.filter((_, i) => !(writes[i].id === undefined && writes[i].publication === 'draft'));
  if (searchable.length > 0) await by.index(tx, searchable);
  return ids;
}

/** Writes one fiche as `writeFiches` does; returns its id. */
export async function writeFiche(tx: Db, write: FicheWrite, by: FicheWriter): Promise<number> {
  const [id] = await writeFiches(tx, [write], by);
  return id;
}
