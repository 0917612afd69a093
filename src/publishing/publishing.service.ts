import { actionKey, findActionIds, listHistory, loadFiches, setInspiredBy } from '../actions/actions.repository.js';
import { writeFiche } from '../actions/actions.service.js';
import { type AttachmentInfo, diffContent, type FicheContent, type StoredFiche } from '../actions/fiche.js';
import { type FileRow, listStorageKeys, listWorkFiles, revertFiles } from '../attachments/attachments.repository.js';
import type { FileStorage } from '../attachments/storage.js';
import { can, reviewsAnywhere, type SessionUser, visibleScope } from '../authorization/authorization.js';
import { AppError } from '../core/errors.js';
import { quote } from '../core/typography.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { getStructure, listStructures, listStructuresByIds } from '../structures/structures.repository.js';
import {
  deleteAction,
  deleteRevision,
  findRevision,
  insertRevision,
  listReviewQueue,
  listRoleEmails,
  listStructureWork,
  type RevisionRow,
  updateRevision,
} from './publishing.repository.js';
import {
  actorName,
  filesChange,
  forbidden,
  gone,
  lockFicheForChange,
  type Notifier,
  notify,
  placedFiche,
  recordStep,
  staleVersion,
  uploadedNames,
  webWriter,
} from './workflow.js';

/** A fiche as its editors and reviewers see it: the public version and the work in progress. */
export interface Workspace {
  fiche: StoredFiche;
  revision: RevisionRow | undefined;
  /** What the editor form shows: the work in progress, else the public version. */
  content: FicheContent;
  /** The version a form must send back: 0 when there is no work in progress. */
  version: number;
  /** The uploaded files the work in progress has (the public ones it keeps and the ones it adds). */
  files: FileRow[];
}

/** The attachments the work in progress shows: names listed by a legacy dump, then its uploaded files. */
export function workAttachments(w: Workspace): AttachmentInfo[] {
  return [
    ...w.fiche.attachments.filter((a) => !a.available),
    ...w.files.map((f) => ({
      id: f.id,
      fileName: f.file_name,
      mediaType: f.media_type,
      sizeBytes: f.size_bytes,
      available: true,
    })),
  ];
}

/** Loads a fiche for someone who may see it whatever its state; 404 when it does not exist, 403 when they may not. */
export async function openWorkspace(db: Db, user: SessionUser, actionId: number): Promise<Workspace> {
  const state = await placedFiche(db, actionId);
  if (!can(user, 'fiche:read', state.placement)) throw forbidden('Cette fiche n’est pas de votre ressort.');
  const [[fiche], revision, files] = await Promise.all([
    loadFiches(db, [actionId]),
    findRevision(db, actionId),
    listWorkFiles(db, actionId),
  ]);
  if (!fiche) throw gone();
  return { fiche, revision, content: revision?.content ?? fiche, version: revision?.version ?? 0, files };
}

/**
 * Saves the editor's work: a new fiche (a draft, not public), or the work in progress of an
 * existing one. A published fiche stays public as it was until a reviewer approves the change.
 * `baseVersion` is the version the form was opened at: a save over someone else's is refused.
 */
export async function saveFiche(
  db: Db,
  user: SessionUser,
  input: { actionId?: number; structureId: number; content: FicheContent; baseVersion: number },
): Promise<number> {
  if (input.actionId === undefined) return createFiche(db, user, input.structureId, input.content);
  const actionId = input.actionId;
  const state = await placedFiche(db, actionId);
  if (!can(user, 'fiche:write', state.placement))
    throw forbidden('Vous ne pouvez pas modifier les fiches de cette structure.');
  if (state.publication === 'archived')
    throw new AppError('archived', 'Cette fiche est archivée : restaurez-la avant de la modifier.');
  await inTransaction(db, async (tx) => {
    await ensureTitleFree(tx, state.structure_id, input.content.title, actionId);
    const revision = await findRevision(tx, actionId);
    if ((revision?.version ?? 0) !== input.baseVersion) throw staleVersion();
    let before: FicheContent;
    if (revision) {
      before = revision.content;
      // A fiche under review that its editor changes leaves the queue until submitted again.
      const nextState = revision.state === 'submitted' ? 'draft' : revision.state;
      if (
        !(await updateRevision(tx, actionId, input.baseVersion, { content: input.content, state: nextState }, user.id))
      ) {
        throw staleVersion();
      }
    } else {
      [before] = await loadFiches(tx, [actionId]);
      await insertRevision(tx, { actionId, content: input.content, state: 'draft', userId: user.id });
    }
    const changes = diffContent(before, input.content);
    if (Object.keys(changes).length > 0) {
      await recordStep(tx, user, actionId, 'save', changes);
    }
  });
  return actionId;
}

/** Whether a structure has a fiche of this title, other than `exceptId`. */
export async function titleTaken(db: Db, structureId: number, title: string, exceptId?: number): Promise<boolean> {
  const id = (await findActionIds(db, [{ structureId, title }])).get(actionKey(structureId, title));
  return id !== undefined && id !== exceptId;
}

// A structure's fiches have distinct titles (the import matches them by title): said on the field.
async function ensureTitleFree(db: Db, structureId: number, title: string, exceptId?: number): Promise<void> {
  if (await titleTaken(db, structureId, title, exceptId)) {
    throw new AppError(
      'invalid_parameter',
      'Votre structure a déjà une fiche de ce titre : donnez à celle-ci un titre qui la distingue.',
      'title',
    );
  }
}

/**
 * Creates a new fiche of a structure the user writes for: a draft nobody else sees, with its
 * work in progress; `origin` names the fiche it was written from (« S'inspirer de cette fiche »).
 */
export async function createFiche(
  db: Db,
  user: SessionUser,
  structureId: number,
  content: FicheContent,
  origin?: { sourceId: number; comment: string },
): Promise<number> {
  const structure = await getStructure(db, structureId);
  if (!structure || !can(user, 'fiche:write', { structureId, departementCode: structure.departement_code })) {
    throw new AppError('forbidden', 'Vous ne pouvez pas écrire de fiche pour cette structure.', 'structure');
  }
  return inTransaction(db, async (tx) => {
    await ensureTitleFree(tx, structureId, content.title);
    // The public row exists from the start, as a draft nobody else sees, so that the fiche has its id.
    const id = await writeFiche(
      tx,
      { structureId, content, before: null, publication: 'draft', operation: 'create', comment: origin?.comment },
      webWriter(user),
    );
    if (origin) await setInspiredBy(tx, id, origin.sourceId);
    await insertRevision(tx, { actionId: id, content, state: 'draft', userId: user.id });
    return id;
  });
}

/** Sends the work in progress to the reviewers of the fiche's département. */
export async function submitFiche(
  db: Db,
  notifier: Notifier,
  user: SessionUser,
  actionId: number,
  baseVersion: number,
): Promise<void> {
  const state = await placedFiche(db, actionId);
  if (!can(user, 'fiche:write', state.placement))
    throw forbidden('Vous ne pouvez pas soumettre les fiches de cette structure.');
  const title = await inTransaction(db, async (tx) => {
    const revision = await findRevision(tx, actionId);
    if (!revision) throw new AppError('nothing_to_submit', 'Cette fiche n’a pas de modification à soumettre.');
    if (revision.state === 'submitted')
      throw new AppError('already_submitted', 'Cette fiche attend déjà sa relecture.');
    if (revision.version !== baseVersion) throw staleVersion();
    const ok = await updateRevision(
      tx,
      actionId,
      baseVersion,
      { state: 'submitted', submittedAt: new Date() },
      user.id,
    );
    if (!ok) throw staleVersion();
    await recordStep(tx, user, actionId, 'submit');
    return revision.content.title;
  });
  await notify(
    notifier,
    await listRoleEmails(db, { departementCode: state.departement_code }),
    `Fiche à relire : ${title}`,
    [
      `${actorName(user)} (${state.structure_name}) a soumis la fiche ${quote(title)} à relecture.`,
      `Elle vous attend dans votre file de relecture : ${notifier.publicUrl}/espace/relecture`,
    ],
  );
}

/**
 * Deletes a fiche that was never published, or abandons the work in progress of a published
 * one (which stays public as it is).
 */
export async function discardWork(
  db: Db,
  storage: FileStorage,
  user: SessionUser,
  actionId: number,
): Promise<'deleted' | 'discarded'> {
  const state = await placedFiche(db, actionId);
  if (!can(user, 'fiche:write', state.placement))
    throw forbidden('Vous ne pouvez pas supprimer les fiches de cette structure.');
  const { outcome, removed } = await inTransaction(db, async (tx) => {
    await lockFicheForChange(tx, actionId);
    const revision = await findRevision(tx, actionId);
    if (state.publication === 'draft') {
      await recordStep(tx, user, actionId, 'delete', {
        title: { before: revision?.content.title ?? state.title, after: null },
      });
      const removed = await listStorageKeys(tx, actionId);
      await deleteAction(tx, actionId);
      return { outcome: 'deleted' as const, removed };
    }
    if (!revision) throw new AppError('nothing_to_discard', 'Cette fiche n’a pas de modification en cours.');
    const files = await listWorkFiles(tx, actionId);
    await deleteRevision(tx, actionId);
    const removed = await revertFiles(tx, actionId);
    const [fiche] = await loadFiches(tx, [actionId]);
    await recordStep(
      tx,
      user,
      actionId,
      'save',
      {
        ...diffContent(revision.content, fiche),
        ...filesChange(
          files.map((f) => f.file_name),
          uploadedNames(fiche.attachments),
        ),
      },
      'Modifications abandonnées',
    );
    return { outcome: 'discarded' as const, removed };
  });
  await Promise.all(removed.map((key) => storage.remove(key)));
  return outcome;
}

/** The fiches of the user's structures with their state in the workflow, the latest change first. */
export function listOwnWork(db: Db, user: SessionUser) {
  // An admin belongs to no structure: their fiches are those they wrote.
  return listStructureWork(db, user.structureIds, user.isAdmin ? user.id : undefined);
}

/** The fiches waiting for a review in the user's départements (all of them for an admin). */
export function listReviewQueueOf(db: Db, user: SessionUser) {
  if (!reviewsAnywhere(user)) throw forbidden('La relecture est réservée aux relecteurs et aux administrateurs.');
  return listReviewQueue(db, visibleScope(user));
}

/** The structures whose fiches the user writes, as the editor offers them: « Nom (59) ». */
export async function writableStructures(db: Db, user: SessionUser): Promise<Array<{ code: string; label: string }>> {
  return (await listStructuresByIds(db, user.structureIds)).map((s) => ({
    code: String(s.id),
    label: `${s.name} (${s.departement_code})`,
  }));
}

/** Beyond this many structures, the editor asks for a part of the name rather than listing them. */
export const STRUCTURE_SELECT_MAX = 20;
const CANDIDATES_MAX = 10;

/** The structure the editor's search field names, or the ones it might name, with the message why. */
export type StructureMatch = { id: number } | { message: string; candidates: Array<{ code: string; label: string }> };

/**
 * Finds the structure a user typed in the editor's search field, among those they may write
 * for: « Nom (59) » as the suggestions give it, or a part of a name that only one matches.
 */
export async function matchWritableStructure(db: Db, user: SessionUser, typed: string): Promise<StructureMatch> {
  const text = typed.replace(/\s+/g, ' ').trim();
  if (text.length < 2)
    return { message: 'Indiquez la structure organisatrice : tapez une partie de son nom.', candidates: [] };
  const labelled = /^(.*) \((\d{2,3}|2[AB])\)$/.exec(text);
  const name = labelled ? labelled[1] : text;
  const rows = (
    await listStructures(db, { nameContains: name, departementCodes: labelled ? [labelled[2]] : undefined }, 50, 0)
  ).filter((r) => can(user, 'fiche:write', { structureId: r.id, departementCode: r.departement_code }));
  const exact = rows.filter((r) => r.name.toLowerCase() === name.toLowerCase());
  if (exact.length === 1) return { id: exact[0].id };
  if (rows.length === 1) return { id: rows[0].id };
  const candidates = rows
    .slice(0, CANDIDATES_MAX)
    .map((r) => ({ code: String(r.id), label: `${r.name} (${r.departement_code})` }));
  return rows.length === 0
    ? { message: `Aucune structure dont vous rédigez les fiches ne s’appelle « ${text} ».`, candidates }
    : { message: `Plusieurs structures correspondent à « ${text} » : choisissez la vôtre.`, candidates };
}

/** Whether `user` may write a fiche for this stored structure. */
export async function mayWriteFor(db: Db, user: SessionUser, structureId: number): Promise<boolean> {
  const structure = Number.isInteger(structureId) && structureId > 0 ? await getStructure(db, structureId) : undefined;
  return Boolean(structure && can(user, 'fiche:write', { structureId, departementCode: structure.departement_code }));
}

/** A fiche's history, for someone who may see the fiche; 404 or 403 as for its page. */
export async function openHistory(db: Db, user: SessionUser, actionId: number) {
  const workspace = await openWorkspace(db, user, actionId);
  return { workspace, rows: await listHistory(db, actionId) };
}
