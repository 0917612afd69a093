import { loadFiches, setPublication } from '../actions/actions.repository.js';
import { writeFiche } from '../actions/actions.service.js';
import { diffContent, type FicheContent } from '../actions/fiche.js';
import { listWorkFiles, publishFiles } from '../attachments/attachments.repository.js';
import type { FileStorage } from '../attachments/storage.js';
import { can, type SessionUser } from '../authorization/authorization.js';
import { AppError } from '../core/errors.js';
import { quote } from '../core/typography.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { indexActions } from '../search/indexing.service.js';
import {
  deleteRevision,
  findRevision,
  listRoleEmails,
  type RevisionRow,
  updateRevision,
} from './publishing.repository.js';
import { titleTaken } from './publishing.service.js';
import {
  actorName,
  filesChange,
  forbidden,
  lockFicheForChange,
  type Notifier,
  notify,
  placedFiche,
  recordStep,
  staleVersion,
  uploadedNames,
  webWriter,
} from './workflow.js';

const COMMENT_MAX = 5_000;

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

/** A reviewer's own small fixes to the submitted text, made as they publish it. */
export interface Correction {
  content: FicheContent;
  /** The work's version the reviewer's form was opened at. */
  baseVersion: number;
}

/**
 * Approves the submitted work: it becomes the public fiche, with its files, indexed for search,
 * in one transaction. With a `correction`, the reviewer's fixes are saved first, as theirs in the
 * history. Files the work removed are deleted once that is committed.
 */
export async function publishFiche(
  db: Db,
  notifier: Notifier,
  storage: FileStorage,
  user: SessionUser,
  actionId: number,
  correction?: Correction,
): Promise<void> {
  const state = await reviewable(db, user, actionId);
  const { title, removed } = await inTransaction(db, async (tx) => {
    await lockFicheForChange(tx, actionId);
    const revision = await findRevision(tx, actionId);
    if (revision?.state !== 'submitted') throw new AppError('not_submitted', 'Cette fiche n’attend pas de relecture.');
    const content = correction ? await saveCorrection(tx, user, actionId, revision, correction) : revision.content;
    const [current] = await loadFiches(tx, [actionId]);
    const before = current.publication === 'published' ? current : null;
    const files = await listWorkFiles(tx, actionId);
    // The files first: the search row is written with the fiche.
    const removed = await publishFiles(tx, actionId);
    await deleteRevision(tx, actionId);
    await writeFiche(
      tx,
      {
        id: actionId,
        content,
        // Each save of the work recorded its author's changes: the publication is the reviewer's
        // step, and does not claim the text as theirs.
        before: content,
        publication: 'published',
        operation: 'publish',
        changes: {
          ...(before ? {} : { publication: { before: 'draft', after: 'published' } }),
          ...filesChange(
            before ? uploadedNames(before.attachments) : [],
            files.map((f) => f.file_name),
          ),
        },
      },
      webWriter(user),
    );
    return { title: content.title, removed };
  });
  await Promise.all(removed.map((key) => storage.remove(key)));
  await notify(notifier, await listRoleEmails(db, { structureId: state.structure_id }), `Fiche publiée : ${title}`, [
    `${actorName(user)} a publié la fiche ${quote(title)} : elle est maintenant visible de tous.`,
    ...(correction
      ? ['Avant de la publier, la relecture y a apporté des corrections : elles figurent dans l’historique.']
      : []),
    `${notifier.publicUrl}/actions/${actionId}`,
  ]);
}

// The reviewer's fixes, saved over the submitted work as a step of their own.
async function saveCorrection(
  tx: Db,
  user: SessionUser,
  actionId: number,
  revision: RevisionRow,
  correction: Correction,
): Promise<FicheContent> {
  if (revision.version !== correction.baseVersion) throw staleVersion();
  const placed = await placedFiche(tx, actionId);
  if (await titleTaken(tx, placed.structure_id, correction.content.title, actionId)) {
    throw new AppError(
      'invalid_parameter',
      'La structure a déjà une autre fiche de ce titre : gardez-en un qui la distingue.',
      'title',
    );
  }
  const changes = diffContent(revision.content, correction.content);
  if (Object.keys(changes).length === 0) return revision.content;
  if (!(await updateRevision(tx, actionId, correction.baseVersion, { content: correction.content }, user.id))) {
    throw staleVersion();
  }
  await recordStep(tx, user, actionId, 'save', changes, 'Corrections de la relecture avant publication.');
  return correction.content;
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
