import { randomBytes } from 'node:crypto';
import { getOrCreateSecret } from '../accounts/accounts.repository.js';
import { longDay } from '../actions/actions.presenter.js';
import { insertHistory } from '../actions/actions.repository.js';
import { can, type SessionUser, visibleScope } from '../authorization/authorization.js';
import type { ReminderSettings } from '../config.js';
import { AppError, notFound } from '../core/errors.js';
import { fichePath } from '../core/paths.js';
import { idOfSignedToken, signedToken } from '../core/signed-links.js';
import { frenchSpacing, quote } from '../core/typography.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { Mailer } from '../mail/mailer.js';
import { listRoleEmails } from '../publishing/publishing.repository.js';
import { actorName, placedFiche } from '../publishing/workflow.js';
import { indexActions } from '../search/indexing.service.js';
import {
  answerReminder,
  claimReminders,
  findReminder,
  listDueFiches,
  listStaleFiches,
  listUnanswered,
  type ReminderFiche,
  recordConfirmation,
  setFreshness,
} from './freshness.repository.js';

const ACTOR = 'Rappel d’actualité';
// An action « En cours » for this long is asked whether it is finished.
const LONG_RUNNING_MONTHS = 36;

/** The date `months` months before or after `date`. */
export function addMonths(date: Date, months: number): Date {
  const moved = new Date(date);
  moved.setUTCMonth(moved.getUTCMonth() + months);
  return moved;
}

async function linkSecret(db: Db): Promise<Buffer> {
  return Buffer.from(await getOrCreateSecret(db, 'reminders', randomBytes(32).toString('base64url')));
}

/** The token of a reminder's « Toujours d’actualité » link: its id and a signature, nothing stored. */
export async function reminderToken(db: Db, reminderId: number): Promise<string> {
  return signedToken(await linkSecret(db), 'reminder', reminderId);
}

/** What a run of the reminders did. */
export interface ReminderRun {
  /** Fiches named by a new reminder. */
  reminded: number;
  emails: number;
  /** Fiches flagged « À vérifier ». */
  flagged: number;
  failed: number;
}

/**
 * The daily job. Flags « À vérifier » the fiches whose reminder went unanswered for
 * `staleAfterMonths`, then sends their structure's editors one e-mail per structure listing
 * the fiches last edited or confirmed `afterMonths` ago or more. A reminder is recorded with
 * its e-mails in one transaction, once per fiche and period: a failed e-mail records nothing,
 * and two runs at once never send a fiche twice.
 */
export async function sendReminders(
  db: Db,
  mailer: Mailer,
  publicUrl: string,
  settings: ReminderSettings,
  now = new Date(),
  log: (message: string) => void = () => {},
): Promise<ReminderRun> {
  const run: ReminderRun = { reminded: 0, emails: 0, flagged: 0, failed: 0 };
  const unanswered = await listUnanswered(db, addMonths(now, -settings.staleAfterMonths));
  if (unanswered.length > 0) {
    await inTransaction(db, async (tx) => {
      await setFreshness(tx, unanswered, 'stale');
      await insertHistory(
        tx,
        unanswered.map((actionId) => ({ actionId, actor: ACTOR, source: 'cli', operation: 'flag_stale', changes: {} })),
      );
      await indexActions(tx, unanswered);
    });
    run.flagged = unanswered.length;
  }
  const due = await listDueFiches(db, addMonths(now, -settings.afterMonths));
  for (const fiches of byStructure(due)) {
    try {
      const sent = await remindStructure(db, mailer, publicUrl, settings, fiches, now);
      run.reminded += sent.fiches;
      run.emails += sent.emails;
    } catch (error) {
      run.failed++;
      log(`Rappel de la structure ${fiches[0].structure_id} : ${(error as Error).message}`);
    }
  }
  return run;
}

// Node 20 has no Map.groupBy; the list comes ordered by structure.
function byStructure(fiches: ReminderFiche[]): ReminderFiche[][] {
  const groups: ReminderFiche[][] = [];
  for (const fiche of fiches) {
    const last = groups.at(-1);
    if (last && last[0].structure_id === fiche.structure_id) last.push(fiche);
    else groups.push([fiche]);
  }
  return groups;
}

async function remindStructure(
  db: Db,
  mailer: Mailer,
  publicUrl: string,
  settings: ReminderSettings,
  fiches: ReminderFiche[],
  now: Date,
): Promise<{ fiches: number; emails: number }> {
  const editors = await listRoleEmails(db, { structureId: fiches[0].structure_id });
  return inTransaction(db, async (tx) => {
    const claimed = await claimReminders(
      tx,
      fiches.map((f) => f.id),
      now,
      editors.length,
      addMonths(now, -settings.afterMonths),
    );
    if (claimed.length === 0) return { fiches: 0, emails: 0 };
    const ids = claimed.map((c) => c.action_id);
    await setFreshness(tx, ids, 'old');
    const comment = editors.length > 0 ? `Envoyé à ${editors.join(', ')}.` : 'Cette structure n’a aucun éditeur.';
    await insertHistory(
      tx,
      ids.map((actionId) => ({ actionId, actor: ACTOR, source: 'cli', operation: 'remind', changes: {}, comment })),
    );
    await indexActions(tx, ids);
    if (editors.length === 0) return { fiches: ids.length, emails: 0 };
    const secret = await linkSecret(tx);
    const lines = claimed.flatMap(({ action_id, id }) => {
      const fiche = fiches.find((f) => f.id === action_id) as ReminderFiche;
      return reminderLines(publicUrl, fiche, signedToken(secret, 'reminder', id), now);
    });
    const count = claimed.length;
    for (const to of editors) {
      await mailer.send({
        to,
        subject: frenchSpacing(
          `Essaim : ${count === 1 ? 'une fiche' : `${count} fiches`} à vérifier (${fiches[0].structure_name})`,
        ),
        text: frenchSpacing(
          [
            'Bonjour,',
            '',
            `${count === 1 ? 'Cette fiche action de' : 'Ces fiches actions de'} ${fiches[0].structure_name} ${count === 1 ? 'n’a pas été modifiée' : 'n’ont pas été modifiées'} depuis ${settings.afterMonths} mois. ${count === 1 ? 'Est-elle' : 'Sont-elles'} toujours d’actualité ?`,
            '',
            ...lines,
            `Sans réponse d’ici ${settings.staleAfterMonths} mois, ${count === 1 ? 'elle sera signalée' : 'elles seront signalées'} « À vérifier » aux lecteurs.`,
            '',
            `Vous recevez ce message parce que vous êtes éditeur ou éditrice de ${fiches[0].structure_name} sur Essaim.`,
            '',
            'L’équipe Essaim',
          ].join('\n'),
        ),
      });
    }
    return { fiches: ids.length, emails: editors.length };
  });
}

function reminderLines(publicUrl: string, fiche: ReminderFiche, token: string, now: Date): string[] {
  const began = fiche.start_month ? new Date(`${fiche.start_month}-01T00:00:00Z`) : fiche.published_at;
  const longRunning =
    fiche.status_code === 'en-cours' && began !== null && began <= addMonths(now, -LONG_RUNNING_MONTHS);
  return [
    `• ${fiche.title}`,
    `  À jour au ${longDay(fiche.fresh_at)} ; ${publicUrl}${fichePath(fiche.id, fiche.title)}`,
    ...(longRunning
      ? [
          '  Elle est « En cours » depuis plus de trois ans : cette action est-elle terminée ? Si oui, modifiez son statut.',
        ]
      : []),
    `  Toujours d’actualité ? Un clic suffit, sans vous connecter : ${publicUrl}/fiches/actualite/${token}`,
    `  À modifier ? ${publicUrl}/espace/fiches/${fiche.id}`,
    '',
  ];
}

function usedOrExpired(message: string): AppError {
  return new AppError('link_expired', message);
}

/**
 * The reminder a « Toujours d’actualité » link names, when its signature holds, it was never
 * used and it has not expired (its fiche would be flagged by then: the link lasts as long as
 * the answer is awaited). Throws a French message saying which.
 */
export async function reminderOfToken(db: Db, token: string, settings: ReminderSettings, now = new Date()) {
  const invalid = () => notFound('Ce lien de rappel n’est pas valable : vérifiez qu’il est complet.');
  const id = idOfSignedToken(await linkSecret(db), 'reminder', token);
  if (id === undefined) throw invalid();
  const reminder = await findReminder(db, id);
  if (reminder?.publication !== 'published') {
    throw notFound('La fiche de ce rappel n’est plus publiée : il n’y a rien à confirmer.');
  }
  if (reminder.answered_at) {
    throw usedOrExpired(
      frenchSpacing(
        `Ce lien a déjà servi : la fiche ${quote(reminder.title)} a été confirmée le ${longDay(reminder.answered_at)}.`,
      ),
    );
  }
  const expires = addMonths(reminder.sent_at, settings.staleAfterMonths);
  if (now > expires) {
    throw usedOrExpired(
      frenchSpacing(
        `Ce lien a expiré le ${longDay(expires)}. Connectez-vous pour confirmer la fiche ${quote(reminder.title)} depuis « Mes fiches ».`,
      ),
    );
  }
  return reminder;
}

/** Confirms through a reminder's link, without an account: the link is the proof, and serves once. */
export async function confirmByLink(
  db: Db,
  token: string,
  settings: ReminderSettings,
): Promise<{ id: number; title: string }> {
  const reminder = await reminderOfToken(db, token, settings);
  await confirm(db, reminder.action_id, { actor: `${ACTOR} (lien de l’e-mail)` }, async (tx, at) => {
    // Two clicks at once: the first one answers, the second is told the link has served.
    if (!(await answerReminder(tx, reminder.id, at))) throw usedOrExpired('Ce lien a déjà servi.');
  });
  return { id: reminder.action_id, title: reminder.title };
}

/** An editor of the fiche's structure (or a reviewer of its département) confirms it from their space. */
export async function confirmAsUser(db: Db, user: SessionUser, actionId: number): Promise<void> {
  const state = await placedFiche(db, actionId);
  if (!can(user, 'fiche:archive', state.placement)) {
    throw new AppError('forbidden', 'Seuls ses éditeurs et les relecteurs de son département confirment cette fiche.');
  }
  if (state.publication !== 'published') {
    throw new AppError('wrong_state', 'Seule une fiche publiée se confirme « Toujours d’actualité ».');
  }
  await confirm(db, actionId, { actor: actorName(user), userId: user.id });
}

async function confirm(
  db: Db,
  actionId: number,
  by: { actor: string; userId?: number },
  before?: (tx: Db, at: Date) => Promise<void>,
): Promise<void> {
  await inTransaction(db, async (tx) => {
    const at = new Date();
    await before?.(tx, at);
    await recordConfirmation(tx, actionId, at);
    await insertHistory(tx, [{ actionId, ...by, source: 'web', operation: 'confirm', changes: {} }]);
    await indexActions(tx, [actionId]);
  });
}

/** The fiches flagged « À vérifier » that a reviewer follows up: their départements' (all for an admin). */
export function staleQueue(db: Db, user: SessionUser) {
  return listStaleFiches(db, visibleScope(user));
}
