import { type HistoryEntry, insertHistory, loadFiches } from '../actions/actions.repository.js';
import type { FicheWriter } from '../actions/actions.service.js';
import { pickContent } from '../actions/fiche.js';
import type { SessionUser } from '../authorization/authorization.js';
import { AppError } from '../core/errors.js';
import type { Db, HistoryOperation } from '../db/database.js';
import type { Mailer } from '../mail/mailer.js';
import { indexActions } from '../search/indexing.service.js';
import { findFicheState, findRevision, insertRevision, updateRevision } from './publishing.repository.js';

// The steps every change to a fiche goes through, whichever service makes it: the lock, the
// work in progress, the history, the e-mails.

/** Where the workflow's e-mails send their readers. */
export interface Notifier {
  mailer: Mailer;
  publicUrl: string;
}

/** A refusal of what the user may not do, with its French reason. */
export const forbidden = (message: string) => new AppError('forbidden', message);

const STALE =
  'Quelqu’un a enregistré cette fiche pendant que vous la modifiiez. Vos modifications n’ont pas été enregistrées : elles restent dans le formulaire ci-dessous, à côté de la version enregistrée ; reportez-les puis enregistrez de nouveau.';

/** A save refused because the fiche changed since the form was opened. */
export function staleVersion(): AppError {
  return new AppError('stale_version', STALE);
}

/** The answer for a fiche that does not exist, or no longer. */
export const gone = () => new AppError('not_found', 'Cette fiche action n’existe pas, ou plus.');

/** How the history and the e-mails name a user: their name, else their address. */
export function actorName(user: SessionUser): string {
  return user.name || user.email;
}

/** A user writing fiches through the site, as `writeFiche` takes them. */
export function webWriter(user: SessionUser): FicheWriter {
  return { actor: actorName(user), userId: user.id, source: 'web', index: indexActions };
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

/** A fiche's place (structure, département) and state; 404 when it does not exist. */
export async function placedFiche(db: Db, actionId: number, lock = false) {
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

/** Sends the workflow's e-mail to each address, one message each. */
export async function notify(notifier: Notifier, to: string[], subject: string, lines: string[]): Promise<void> {
  for (const address of to) {
    await notifier.mailer.send({
      to: address,
      subject,
      text: ['Bonjour,', '', ...lines, '', 'L’équipe Essaim'].join('\n'),
    });
  }
}

/** The names of the files a fiche has uploaded, not those a legacy dump only lists. */
export const uploadedNames = (files: Array<{ fileName: string; available: boolean }>) =>
  files.filter((f) => f.available).map((f) => f.fileName);

/** The history's record of a change to the uploaded files, when there is one. */
export function filesChange(before: string[], after: string[]): HistoryEntry['changes'] {
  return JSON.stringify(before) === JSON.stringify(after) ? {} : { attachments: { before, after } };
}
