import {
  type HistoryEntry,
  insertActions,
  insertHistory,
  loadFiches,
  updateAction,
} from '../actions/actions.repository.js';
import {
  type AttachmentInfo,
  diffContent,
  type FicheContent,
  pickContent,
  type StoredFiche,
} from '../actions/fiche.js';
import {
  type FileRow,
  listStorageKeys,
  listWorkFiles,
  publishFiles,
  revertFiles,
} from '../attachments/attachments.repository.js';
import type { FileStorage } from '../attachments/storage.js';
import { can, type SessionUser } from '../authorization/authorization.js';
import { AppError } from '../core/errors.js';
import { quote } from '../core/typography.js';
import type { Db, HistoryOperation } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { Mailer } from '../mail/mailer.js';
import { indexActions } from '../search/search.service.js';
import { getStructure } from '../structures/structures.repository.js';
import {
  deleteAction,
  deleteRevision,
  findFicheState,
  findRevision,
  insertRevision,
  listRoleEmails,
  type RevisionRow,
  setPublication,
  updateRevision,
} from './publishing.repository.js';

/** Where the workflow's e-mails send their readers. */
export interface Notifier {
  mailer: Mailer;
  publicUrl: string;
}

const COMMENT_MAX = 5_000;

const forbidden = (message: string) => new AppError('forbidden', message);
const gone = () => new AppError('not_found', 'Cette fiche action n’existe pas, ou plus.');

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

function actorName(user: SessionUser): string {
  return user.name || user.email;
}

/** Records a step a user took on a fiche through the site; call it in the step's transaction. */
export function recordStep(
  tx: Db,
  user: SessionUser,
  actionId: number,
  operation: HistoryOperation,
  changes: HistoryEntry['changes'] = {},
  comment?: string,
): Promise<void> {
  return insertHistory(tx, [
    { actionId, actor: actorName(user), userId: user.id, source: 'web', operation, changes, comment },
  ]);
}

async function placedFiche(db: Db, actionId: number, lock = false) {
  const state = await findFicheState(db, actionId, lock);
  if (!state) throw gone();
  return { ...state, placement: { structureId: state.structure_id, departementCode: state.departement_code } };
}

/** A fiche's place and state, its row locked until the transaction `tx` ends; 404 when it does not exist. */
export function lockFicheForChange(tx: Db, actionId: number) {
  return placedFiche(tx, actionId, true);
}

/**
 * Makes sure a fiche has a work in progress before a change made outside the editor (to its
 * files): a published fiche keeps its public version until the change is approved, and a fiche
 * under review leaves the queue until it is submitted again, as after a save.
 */
export async function startWorkInProgress(tx: Db, user: SessionUser, actionId: number): Promise<void> {
  const revision = await findRevision(tx, actionId);
  if (!revision) {
    const [fiche] = await loadFiches(tx, [actionId]);
    await insertRevision(tx, { actionId, content: pickContent(fiche), state: 'draft', userId: user.id });
  } else if (revision.state === 'submitted') {
    await updateRevision(tx, actionId, revision.version, { state: 'draft' }, user.id);
  }
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

const STALE =
  'Quelqu’un a enregistré cette fiche pendant que vous la modifiiez. Vos modifications n’ont pas été enregistrées : elles restent dans le formulaire ci-dessous, à côté de la version enregistrée ; reportez-les puis enregistrez de nouveau.';

/** A save refused because the fiche changed since the form was opened. */
function staleVersion(): AppError {
  return new AppError('stale_version', STALE);
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

async function createFiche(db: Db, user: SessionUser, structureId: number, content: FicheContent): Promise<number> {
  const structure = await getStructure(db, structureId);
  if (!structure || !can(user, 'fiche:write', { structureId, departementCode: structure.departement_code })) {
    throw new AppError('forbidden', 'Vous ne pouvez pas écrire de fiche pour cette structure.', 'structure');
  }
  return inTransaction(db, async (tx) => {
    // The public row exists from the start, as a draft nobody else sees, so that the fiche has its id.
    const [id] = await insertActions(tx, [{ structureId, content, publication: 'draft' }]);
    await insertRevision(tx, { actionId: id, content, state: 'draft', userId: user.id });
    await recordStep(tx, user, id, 'create', diffContent(null, content));
    return id;
  });
}

async function notify(notifier: Notifier, to: string[], subject: string, lines: string[]): Promise<void> {
  for (const address of to) {
    await notifier.mailer.send({
      to: address,
      subject,
      text: ['Bonjour,', '', ...lines, '', 'L’équipe Essaim'].join('\n'),
    });
  }
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

async function reviewable(db: Db, user: SessionUser, actionId: number) {
  const state = await placedFiche(db, actionId);
  if (!can(user, 'fiche:review', state.placement)) {
    throw forbidden('Vous ne relisez pas les fiches de ce département.');
  }
  return state;
}

/** Sends a submitted fiche back to its editors with the reviewer's comment. */
export async function requestChanges(
  db: Db,
  notifier: Notifier,
  user: SessionUser,
  actionId: number,
  comment: string,
): Promise<void> {
  const state = await reviewable(db, user, actionId);
  const text = comment.replace(/\r\n?/g, '\n').trim();
  if (text.length === 0)
    throw new AppError('comment_required', 'Dites à la structure ce qu’il faut changer.', 'comment');
  if (text.length > COMMENT_MAX) {
    throw new AppError('comment_too_long', `Le commentaire doit compter au plus ${COMMENT_MAX} caractères.`, 'comment');
  }
  const title = await inTransaction(db, async (tx) => {
    const revision = await findRevision(tx, actionId);
    if (revision?.state !== 'submitted') throw new AppError('not_submitted', 'Cette fiche n’attend pas de relecture.');
    await updateRevision(
      tx,
      actionId,
      revision.version,
      { state: 'changes_requested', reviewerComment: text },
      user.id,
    );
    await recordStep(tx, user, actionId, 'request_changes', {}, text);
    return revision.content.title;
  });
  await notify(
    notifier,
    await listRoleEmails(db, { structureId: state.structure_id }),
    `Modifications demandées : ${title}`,
    [
      `${actorName(user)} demande des modifications sur la fiche ${quote(title)} avant de la publier :`,
      '',
      text,
      '',
      `Modifiez-la puis soumettez-la de nouveau : ${notifier.publicUrl}/espace/fiches/${actionId}`,
    ],
  );
}

const uploadedNames = (files: Array<{ fileName: string; available: boolean }>) =>
  files.filter((f) => f.available).map((f) => f.fileName);

/** The history's record of a change to the uploaded files, when there is one. */
function filesChange(before: string[], after: string[]): HistoryEntry['changes'] {
  return JSON.stringify(before) === JSON.stringify(after) ? {} : { attachments: { before, after } };
}

/**
 * Approves the submitted work: it becomes the public fiche, with its files, indexed for search,
 * in one transaction. Files it removed are deleted once that is committed.
 */
export async function publishFiche(
  db: Db,
  notifier: Notifier,
  storage: FileStorage,
  user: SessionUser,
  actionId: number,
): Promise<void> {
  const state = await reviewable(db, user, actionId);
  const { title, removed } = await inTransaction(db, async (tx) => {
    await lockFicheForChange(tx, actionId);
    const revision = await findRevision(tx, actionId);
    if (revision?.state !== 'submitted') throw new AppError('not_submitted', 'Cette fiche n’attend pas de relecture.');
    const [current] = await loadFiches(tx, [actionId]);
    const before = current.publication === 'published' ? current : null;
    const files = await listWorkFiles(tx, actionId);
    await updateAction(tx, actionId, revision.content);
    const removed = await publishFiles(tx, actionId);
    await setPublication(tx, actionId, 'published');
    await deleteRevision(tx, actionId);
    await indexActions(tx, [actionId]);
    await recordStep(tx, user, actionId, 'publish', {
      ...diffContent(before, revision.content),
      ...filesChange(
        before ? uploadedNames(before.attachments) : [],
        files.map((f) => f.file_name),
      ),
    });
    return { title: revision.content.title, removed };
  });
  await Promise.all(removed.map((key) => storage.remove(key)));
  await notify(notifier, await listRoleEmails(db, { structureId: state.structure_id }), `Fiche publiée : ${title}`, [
    `${actorName(user)} a publié la fiche ${quote(title)} : elle est maintenant visible de tous.`,
    `${notifier.publicUrl}/actions/${actionId}`,
  ]);
}

/** Withdraws a published fiche from public view, or brings an archived one back. */
export async function setArchived(db: Db, user: SessionUser, actionId: number, archived: boolean): Promise<void> {
  const state = await placedFiche(db, actionId);
  if (!can(user, 'fiche:archive', state.placement)) throw forbidden('Vous ne pouvez pas archiver cette fiche.');
  const from = archived ? 'published' : 'archived';
  if (state.publication !== from) {
    throw new AppError(
      'wrong_state',
      archived ? 'Seule une fiche publiée peut être archivée.' : 'Cette fiche n’est pas archivée.',
    );
  }
  await inTransaction(db, async (tx) => {
    await setPublication(tx, actionId, archived ? 'archived' : 'published');
    await indexActions(tx, [actionId]);
    await recordStep(tx, user, actionId, archived ? 'archive' : 'restore', {
      publication: { before: from, after: archived ? 'archived' : 'published' },
    });
  });
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
