import type { AttachmentState, Db } from '../db/database.js';

/** An uploaded file of a fiche, as its editors see it in the work in progress. */
export interface FileRow {
  id: number;
  action_id: number;
  file_name: string;
  media_type: string | null;
  size_bytes: number | null;
  storage_key: string;
  state: AttachmentState;
}

const FILE_COLUMNS = ['id', 'action_id', 'file_name', 'media_type', 'size_bytes', 'storage_key', 'state'] as const;

/** The uploaded files of a fiche's work in progress (public ones it keeps and pending ones), in order. */
export async function listWorkFiles(db: Db, actionId: number): Promise<FileRow[]> {
  const rows = await db
    .selectFrom('attachments')
    .select(FILE_COLUMNS)
    .where('action_id', '=', actionId)
    .where('storage_key', 'is not', null)
    .where('state', 'in', ['public', 'pending'])
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows as FileRow[];
}

/** An uploaded file with the place and publication of its fiche: what serving it depends on. */
export async function findFile(db: Db, id: number) {
  const row = await db
    .selectFrom('attachments as f')
    .innerJoin('actions as a', 'a.id', 'f.action_id')
    .innerJoin('structures as s', 's.id', 'a.structure_id')
    .select([
      'f.id',
      'f.action_id',
      'f.file_name',
      'f.media_type',
      'f.size_bytes',
      'f.storage_key',
      'f.state',
      'a.publication',
      'a.structure_id',
      's.departement_code',
    ])
    .where('f.id', '=', id)
    .where('f.storage_key', 'is not', null)
    .executeTakeFirst();
  return row as (typeof row & { storage_key: string }) | undefined;
}

/** The position after a fiche's last attachment. */
export async function nextPosition(db: Db, actionId: number): Promise<number> {
  const row = await db
    .selectFrom('attachments')
    .select((eb) => eb.fn.max<number | null>('position').as('last'))
    .where('action_id', '=', actionId)
    .executeTakeFirst();
  return row?.last == null ? 0 : Number(row.last) + 1;
}

/** Adds uploaded files to a fiche's work in progress. */
export async function insertPendingFiles(
  db: Db,
  actionId: number,
  userId: number,
  files: Array<{ fileName: string; mediaType: string; sizeBytes: number; storageKey: string }>,
): Promise<void> {
  if (files.length === 0) return;
  const first = await nextPosition(db, actionId);
  await db
    .insertInto('attachments')
    .values(
      files.map((f, i) => ({
        action_id: actionId,
        position: first + i,
        file_name: f.fileName,
        media_type: f.mediaType,
        size_bytes: f.sizeBytes,
        storage_key: f.storageKey,
        state: 'pending' as const,
        uploaded_by: userId,
      })),
    )
    .execute();
}

/** Marks a public file as removed by the work in progress: it stays public until publication. */
export async function withdrawFile(db: Db, id: number): Promise<void> {
  await db.updateTable('attachments').set({ state: 'withdrawn' }).where('id', '=', id).execute();
}

/** Deletes attachment rows and returns the storage keys of their files, to delete after the commit. */
async function deleteReturningKeys(db: Db, actionId: number, states: AttachmentState[], id?: number) {
  let query = db.deleteFrom('attachments').where('action_id', '=', actionId).where('state', 'in', states);
  if (id !== undefined) query = query.where('id', '=', id);
  const rows = await query.returning('storage_key').execute();
  return rows.flatMap((r) => (r.storage_key === null ? [] : [r.storage_key]));
}

/** Deletes a pending file; returns its storage key. */
export function deletePendingFile(db: Db, actionId: number, id: number): Promise<string[]> {
  return deleteReturningKeys(db, actionId, ['pending'], id);
}

/** On publication: pending files become public, withdrawn ones are deleted (their keys returned). */
export async function publishFiles(db: Db, actionId: number): Promise<string[]> {
  const removed = await deleteReturningKeys(db, actionId, ['withdrawn']);
  await db
    .updateTable('attachments')
    .set({ state: 'public' })
    .where('action_id', '=', actionId)
    .where('state', '=', 'pending')
    .execute();
  return removed;
}

/** When the work is abandoned: pending files are deleted (their keys returned), withdrawn ones are public again. */
export async function revertFiles(db: Db, actionId: number): Promise<string[]> {
  const removed = await deleteReturningKeys(db, actionId, ['pending']);
  await db
    .updateTable('attachments')
    .set({ state: 'public' })
    .where('action_id', '=', actionId)
    .where('state', '=', 'withdrawn')
    .execute();
  return removed;
}

/** Every stored file of a fiche, whatever its state: what deleting the fiche must delete. */
export async function listStorageKeys(db: Db, actionId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('attachments')
    .select('storage_key')
    .where('action_id', '=', actionId)
    .where('storage_key', 'is not', null)
    .execute();
  return rows.map((r) => r.storage_key as string);
}

/** Every stored file of the catalogue, in the order they were added: what a migration copies. */
export async function listAllStorageKeys(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('attachments')
    .select('storage_key')
    .where('storage_key', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.storage_key as string);
}
