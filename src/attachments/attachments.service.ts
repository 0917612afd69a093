import type { Readable } from 'node:stream';
import { can, type SessionUser } from '../authorization/authorization.js';
import { AppError, notFound } from '../core/errors.js';
import { quote } from '../core/typography.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { lockFicheForChange, recordStep, startWorkInProgress } from '../publishing/workflow.js';
import {
  deletePendingFile,
  findFile,
  insertPendingFiles,
  listWorkFiles,
  withdrawFile,
} from './attachments.repository.js';
import { type AcceptedType, detectAcceptedType, MAX_FILES } from './file-types.js';
import type { FileStorage } from './storage.js';

const NAME_MAX = 150;

/** A file as the upload form sent it. */
export interface Upload {
  /** The name the browser gave; only used to name the file, never to trust its type. */
  fileName: string;
  content: Buffer;
  /** True when the file was longer than MAX_FILE_BYTES and was cut while being read. */
  truncated: boolean;
}

/** An upload refused, one French sentence per reason, for the form's error summary; `tooLarge` when a file or their number is over the limit. */
export function uploadRefused(reasons: string[], tooLarge = false): AppError {
  return new AppError(tooLarge ? 'file_too_large' : 'file_refused', reasons.join(' '), 'fichiers');
}

/** Whether an error is an upload refused, which the form shows, rather than a refusal of access. */
export function isUploadRefusal(error: unknown): error is AppError {
  return error instanceof AppError && (error.code === 'file_refused' || error.code === 'file_too_large');
}

const TYPES_SENTENCE =
  'Les fichiers acceptés sont les PDF, les images JPEG, PNG ou WebP et les documents Word, Excel, PowerPoint ou OpenDocument (docx, xlsx, pptx, odt, ods).';

/** A name safe to show and to send back in Content-Disposition, ending with the type's extension. */
export function cleanFileName(raw: string, type: AcceptedType): string {
  // Some browsers send the whole path; control characters and separators never belong in a name.
  const base = (raw.split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}"<>:|?*]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, NAME_MAX);
  const name = base.replace(/^\.+/, '') || 'fichier';
  const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  const expected = type.extension === 'jpg' ? ['jpg', 'jpeg'] : [type.extension];
  return expected.includes(extension) ? name : `${name}.${type.extension}`;
}

async function checkUploads(uploads: Upload[], room: number) {
  const reasons: string[] = [];
  let tooLarge = false;
  let unknownType = false;
  const accepted: Array<{ upload: Upload; type: AcceptedType }> = [];
  for (const upload of uploads) {
    const name = quote(upload.fileName || 'sans nom');
    if (upload.truncated) {
      tooLarge = true;
      reasons.push(`Le fichier ${name} dépasse 10 Mo, la taille maximale d’un fichier.`);
      continue;
    }
    if (upload.content.length === 0) {
      reasons.push(`Le fichier ${name} est vide.`);
      continue;
    }
    const type = await detectAcceptedType(upload.content);
    if (!type) {
      unknownType = true;
      reasons.push(`Le contenu du fichier ${name} n’est pas d’un type accepté, quel que soit son nom.`);
      continue;
    }
    accepted.push({ upload, type });
  }
  if (unknownType) reasons.push(TYPES_SENTENCE);
  if (uploads.length > room) {
    reasons.push(
      room === 0
        ? `Une fiche compte au plus ${MAX_FILES} fichiers et celle-ci les a déjà : retirez-en un avant d’en ajouter.`
        : `Une fiche compte au plus ${MAX_FILES} fichiers : vous pouvez encore en ajouter ${room}, pas ${uploads.length}.`,
    );
  }
  return { reasons, tooLarge, accepted };
}

// In a transaction the fiche's row stays locked until the commit; outside, this only checks.
async function writableFiche(db: Db, user: SessionUser, actionId: number) {
  const fiche = await lockFicheForChange(db, actionId);
  if (!can(user, 'fiche:write', fiche.placement)) {
    throw new AppError('forbidden', 'Vous ne pouvez pas modifier les fichiers des fiches de cette structure.');
  }
  if (fiche.publication === 'archived') {
    throw new AppError('archived', 'Cette fiche est archivée : restaurez-la avant de modifier ses fichiers.');
  }
  return fiche;
}

const names = (rows: Array<{ file_name: string }>) => rows.map((r) => r.file_name);

/**
 * Adds files to a fiche's work in progress: all of them, or none when one is refused (too large,
 * empty, of a type not accepted, one too many). They become public when the work is published.
 */
export async function addFiles(
  db: Db,
  storage: FileStorage,
  user: SessionUser,
  actionId: number,
  uploads: Upload[],
): Promise<void> {
  if (uploads.length === 0) throw uploadRefused(['Choisissez au moins un fichier à ajouter.']);
  await writableFiche(db, user, actionId);
  const { reasons, tooLarge, accepted } = await checkUploads(
    uploads,
    MAX_FILES - (await listWorkFiles(db, actionId)).length,
  );
  if (reasons.length > 0) throw uploadRefused(reasons, tooLarge);
  // Files are written before the transaction so that it stays short; they are deleted if it fails.
  const stored: string[] = [];
  try {
    const files: Parameters<typeof insertPendingFiles>[3] = [];
    for (const { upload, type } of accepted) {
      const storageKey = await storage.put(upload.content);
      stored.push(storageKey);
      const fileName = cleanFileName(upload.fileName, type);
      files.push({ fileName, mediaType: type.mediaType, sizeBytes: upload.content.length, storageKey });
    }
    await inTransaction(db, async (tx) => {
      await writableFiche(tx, user, actionId);
      const before = await listWorkFiles(tx, actionId);
      // Checked again under the fiche's lock: another upload may have landed meanwhile.
      const room = MAX_FILES - before.length;
      if (files.length > room) throw uploadRefused((await checkUploads(uploads, room)).reasons);
      await startWorkInProgress(tx, user, actionId);
      await insertPendingFiles(tx, actionId, user.id, files);
      await recordStep(tx, user, actionId, 'save', {
        attachments: { before: names(before), after: [...names(before), ...files.map((f) => f.fileName)] },
      });
    });
  } catch (error) {
    // Nothing half-way: files written for a change that did not commit are deleted.
    await Promise.all(stored.map((key) => storage.remove(key)));
    throw error;
  }
}

/**
 * Removes a file from a fiche's work in progress. A file added by this work is deleted now; a
 * public one stays public until the work is published, and comes back if the work is abandoned.
 */
export async function removeFile(
  db: Db,
  storage: FileStorage,
  user: SessionUser,
  actionId: number,
  fileId: number,
): Promise<void> {
  const keys = await inTransaction(db, async (tx) => {
    await writableFiche(tx, user, actionId);
    const before = await listWorkFiles(tx, actionId);
    const file = before.find((f) => f.id === fileId);
    if (!file) throw notFound('Ce fichier n’est plus joint à cette fiche.');
    await startWorkInProgress(tx, user, actionId);
    const keys = file.state === 'pending' ? await deletePendingFile(tx, actionId, fileId) : [];
    if (file.state === 'public') await withdrawFile(tx, fileId);
    await recordStep(tx, user, actionId, 'save', {
      attachments: { before: names(before), after: names(before.filter((f) => f.id !== fileId)) },
    });
    return keys;
  });
  await Promise.all(keys.map((key) => storage.remove(key)));
}

/** A file ready to send: its metadata and its bytes, or the short-lived address that serves them. */
export type OpenedFile = {
  fileName: string;
  mediaType: string;
  sizeBytes: number | null;
} & ({ stream: Readable; location?: undefined } | { location: string; stream?: undefined });

/**
 * Opens a file for download: anyone may have the files of a published fiche's public version;
 * the files of a work in progress or of a fiche that is not public only those who may read it.
 * Anything else is "not found", so that a file's existence is not revealed.
 */
export async function openFile(
  db: Db,
  storage: FileStorage,
  user: SessionUser | null,
  fileId: number,
): Promise<OpenedFile> {
  const file = await findFile(db, fileId);
  const missing = notFound('Ce fichier n’existe pas, ou plus.');
  if (!file) throw missing;
  const isPublic = file.publication === 'published' && file.state !== 'pending';
  const placement = { structureId: file.structure_id, departementCode: file.departement_code };
  if (!isPublic && !can(user, 'fiche:read', placement)) throw missing;
  const described = {
    fileName: file.file_name,
    mediaType: file.media_type ?? 'application/octet-stream',
    sizeBytes: file.size_bytes,
  };
  const location = await storage.downloadUrl?.(file.storage_key, described.fileName, described.mediaType);
  if (location) return { ...described, location };
  const stream = await storage.open(file.storage_key);
  if (!stream) throw missing;
  return { ...described, stream };
}
